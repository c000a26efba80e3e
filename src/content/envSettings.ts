/**
 * The building blocks of the server's settings schemas (src/channels/shared/settings.ts): environment
 * variables read as typed values, with their defaults and bounds, and parseSettings, which names every
 * bad variable at once. Whole numbers and the engine's settings (src/content/settings.ts) are read by
 * the zod-free readers of envValues.ts, which the schemas here compose.
 * A variable that is unset, empty or only spaces takes its default.
 */
import { z } from 'zod';
import { readWholeNumber, settingsProblem, SettingsError, unsetIfBlank, type Env, type VariableReader, type VariableReaders, type VariablesOf } from './envValues.js';

/** A variable read by `read`: the same value, its problem as a zod issue. */
function fromReader<T>(read: VariableReader<T>) {
  return z.preprocess(unsetIfBlank, z.string().optional()).transform((value, context) => {
    const reading = read(value);
    if ('value' in reading) return reading.value;
    context.addIssue({ code: 'custom', message: reading.problem });
    return z.NEVER;
  });
}

/** The variables of `readers` as one schema, to compose with others. */
export function variablesSchema<R extends VariableReaders>(readers: R) {
  return z.object(Object.fromEntries(Object.entries(readers).map(([name, read]) => [name, fromReader(read)]))) as z.ZodType<VariablesOf<R>>;
}

export function optionalText() {
  return z.preprocess(unsetIfBlank, z.string().optional());
}

export function wholeNumber(...args: Parameters<typeof readWholeNumber>) {
  return fromReader(readWholeNumber(...args));
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
    if (!problems.has(name)) problems.set(name, settingsProblem(name, issue.message, env, secrets));
  }
  throw new SettingsError([...problems.values()]);
}
