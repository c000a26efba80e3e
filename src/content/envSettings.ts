/**
 * The building blocks of the settings schemas (src/content/settings.ts for the engine,
 * src/channels/shared/settings.ts for the rest): environment variables read as typed values, with
 * their defaults and bounds, and one error that names every bad variable at once.
 * A variable that is unset, empty or only spaces takes its default.
 */
import { z } from 'zod';

/** The environment as process.env holds it. */
export type Env = Readonly<Record<string, string | undefined>>;

function unsetIfBlank(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

const MAX_WHOLE_NUMBER = Number.MAX_SAFE_INTEGER;

function wholeNumberExpectation(min: number, max: number): string {
  return max === MAX_WHOLE_NUMBER ? `a whole number, at least ${min}` : `a whole number from ${min} to ${max}`;
}

export function text(fallback: string) {
  return z.preprocess(unsetIfBlank, z.string().default(fallback));
}

export function optionalText() {
  return z.preprocess(unsetIfBlank, z.string().optional());
}

export function wholeNumber(fallback: number, { min = 0, max = MAX_WHOLE_NUMBER }: { min?: number; max?: number } = {}) {
  const error = `must be ${wholeNumberExpectation(min, max)}`;
  return z.preprocess(unsetIfBlank, z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback));
}

export function fraction(fallback: number) {
  const error = 'must be a number from 0 to 1';
  return z.preprocess(unsetIfBlank, z.coerce.number({ error }).min(0, { error }).max(1, { error }).default(fallback));
}

const BOOLEAN_ERROR = 'must be true or false';

export function flag(fallback: boolean) {
  return z.preprocess(unsetIfBlank, z.stringbool({ error: BOOLEAN_ERROR }).default(fallback));
}

/** A yes-or-no setting whose default depends on other settings (undefined until they decide it). */
export function optionalFlag() {
  return z.preprocess(unsetIfBlank, z.stringbool({ error: BOOLEAN_ERROR }).optional());
}

/** A URL whose scheme matches `protocol` (e.g. /^rediss?$/), described for people as `expected`. */
export function optionalUrl(protocol: RegExp, expected: string) {
  return z.preprocess(unsetIfBlank, z.url({ protocol, error: `must be ${expected}` }).optional());
}

export function optionalMatching(pattern: RegExp, expected: string) {
  return z.preprocess(
    unsetIfBlank,
    z
      .string()
      .regex(pattern, { error: `must be ${expected}` })
      .optional(),
  );
}

export function optionalOneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(unsetIfBlank, z.enum(values, { error: `must be one of ${values.join(', ')}` }).optional());
}

export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return z.preprocess(unsetIfBlank, z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(fallback));
}

/** Settings that failed their schema: `problems` has one line per bad variable. */
export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `${problems.length === 1 ? 'A setting is' : `${problems.length} settings are`} wrong (environment or .env; see .env.example):\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
    this.name = 'SettingsError';
  }
}

/**
 * Parses the environment with a schema whose keys (at any depth) are the variables' names; throws a
 * SettingsError naming each bad variable once, whatever else is wrong with it, with its value unless
 * it is one of `secrets` (the message goes to logs and terminals).
 */
export function parseSettings<T>(schema: z.ZodType<T>, env: Env, secrets: readonly string[] = []): T {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = new Map<string, string>();
  for (const issue of result.error.issues) {
    const name = String(issue.path.at(-1) ?? '');
    const shown = secrets.includes(name) ? name : `${name}=${JSON.stringify(env[name] ?? '')}`;
    if (!problems.has(name)) problems.set(name, `${shown}: ${issue.message}`);
  }
  throw new SettingsError([...problems.values()]);
}
