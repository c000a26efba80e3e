/**
 * Environment variables read as typed values without zod, and the error that names every bad one.
 * The engine's settings need nothing more, so `npm run ask` and `npm run chat` start without loading zod
 * (about 6 MB of memory); envSettings.ts composes these same readers into the server's schemas.
 * A variable that is unset, empty or only spaces takes its default.
 */

/** The environment as process.env holds it. */
export type Env = Readonly<Record<string, string | undefined>>;

export function unsetIfBlank(value: string | undefined): string | undefined;
export function unsetIfBlank(value: unknown): unknown;
export function unsetIfBlank(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** What a variable holds, or why it is refused. */
export type Reading<T> = { value: T } | { problem: string };

/** Reads one variable, trimmed (undefined when unset or blank). */
export type VariableReader<T> = (value: string | undefined) => Reading<T>;

export type VariableReaders = Readonly<Record<string, VariableReader<unknown>>>;

/** The values that `readers` read, by variable name. */
export type VariablesOf<R extends VariableReaders> = { [Name in keyof R]: R[Name] extends VariableReader<infer T> ? T : never };

export function readText(fallback: string): VariableReader<string> {
  return (value) => ({ value: value ?? fallback });
}

const MAX_WHOLE_NUMBER = Number.MAX_SAFE_INTEGER;

function wholeNumberExpectation(min: number, max: number): string {
  return max === MAX_WHOLE_NUMBER ? `a whole number, at least ${min}` : `a whole number from ${min} to ${max}`;
}

export function readWholeNumber(fallback: number, { min = 0, max = MAX_WHOLE_NUMBER }: { min?: number; max?: number } = {}): VariableReader<number> {
  const problem = `must be ${wholeNumberExpectation(min, max)}`;
  return (value) => {
    if (value === undefined) return { value: fallback };
    const number = Number(value);
    return Number.isSafeInteger(number) && number >= min && number <= max ? { value: number } : { problem };
  };
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

/** One line of a SettingsError: the variable with its value, unless it is one of `secrets` (the message goes to logs and terminals), and what is wrong. */
export function settingsProblem(name: string, message: string, env: Env, secrets: readonly string[] = []): string {
  const shown = secrets.includes(name) ? name : `${name}=${JSON.stringify(env[name] ?? '')}`;
  return `${shown}: ${message}`;
}

/** Reads every variable of `readers` from the environment; throws a SettingsError naming each bad one. */
export function readVariables<R extends VariableReaders>(readers: R, env: Env): VariablesOf<R> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, read] of Object.entries(readers)) {
    const reading = read(unsetIfBlank(env[name]));
    if ('problem' in reading) problems.push(settingsProblem(name, reading.problem, env));
    else values[name] = reading.value;
  }
  if (problems.length > 0) throw new SettingsError(problems);
  return values as VariablesOf<R>;
}
