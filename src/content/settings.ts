/**
 * The engine's settings (see .env.example): the numbers named in safety replies, and how long a question may be.
 * Read without zod (see envValues.ts); the server's schema composes the same readers (src/channels/shared/settings.ts).
 */
import { readText, readVariables, readWholeNumber, type Env, type VariablesOf } from './envValues.js';

export const ENGINE_VARIABLES = {
  EMERGENCY_NUMBER: readText('911'),
  CRISIS_LINE: readText('988'),
  POISON_CONTROL: readText('1-800-222-1222'),
  REGION: readText('the US'),
  MAX_QUESTION_LENGTH: readWholeNumber(2000, { min: 1 }),
};

export interface EngineSettings {
  emergencyNumber: string;
  crisisLine: string;
  poisonControl: string;
  region: string;
  maxQuestionLength: number;
}

export function engineSettingsOf(variables: VariablesOf<typeof ENGINE_VARIABLES>): EngineSettings {
  return {
    emergencyNumber: variables.EMERGENCY_NUMBER,
    crisisLine: variables.CRISIS_LINE,
    poisonControl: variables.POISON_CONTROL,
    region: variables.REGION,
    maxQuestionLength: variables.MAX_QUESTION_LENGTH,
  };
}

/** The engine's settings from the environment; throws a SettingsError naming every bad one. */
export function engineSettingsFrom(env: Env): EngineSettings {
  return engineSettingsOf(readVariables(ENGINE_VARIABLES, env));
}
