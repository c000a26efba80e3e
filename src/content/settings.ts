/** The engine's settings (see .env.example): the numbers named in safety replies, and how long a question may be. */
import { z } from 'zod';
import { parseSettings, text, wholeNumber, type Env } from './envSettings.js';

export const engineSettingsSchema = z
  .object({
    EMERGENCY_NUMBER: text('911'),
    CRISIS_LINE: text('988'),
    POISON_CONTROL: text('1-800-222-1222'),
    REGION: text('the US'),
    MAX_QUESTION_LENGTH: wholeNumber(2000, { min: 1 }),
  })
  .transform((env) => ({
    emergencyNumber: env.EMERGENCY_NUMBER,
    crisisLine: env.CRISIS_LINE,
    poisonControl: env.POISON_CONTROL,
    region: env.REGION,
    maxQuestionLength: env.MAX_QUESTION_LENGTH,
  }));

export type EngineSettings = z.output<typeof engineSettingsSchema>;

/** The engine's settings from the environment; throws a SettingsError naming every bad one. */
export function engineSettingsFrom(env: Env): EngineSettings {
  return parseSettings(engineSettingsSchema, env);
}
