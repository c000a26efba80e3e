/** Settings read from the environment (see .env.example), with safe defaults. */
export interface EngineSettings {
  emergencyNumber: string;
  crisisLine: string;
  poisonControl: string;
  region: string;
  maxQuestionLength: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

export function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return value;
}

export function engineSettingsFrom(env: Env): EngineSettings {
  return {
    emergencyNumber: text(env, 'EMERGENCY_NUMBER', '911'),
    crisisLine: text(env, 'CRISIS_LINE', '988'),
    poisonControl: text(env, 'POISON_CONTROL', '1-800-222-1222'),
    region: text(env, 'REGION', 'the US'),
    maxQuestionLength: positiveInteger(env, 'MAX_QUESTION_LENGTH', 2000),
  };
}
