/** A program's start: .env (if any), and the settings read from the environment. */
import { config } from 'dotenv';
import { SettingsError, type Env } from '../../content/envValues.js';

/** Reads .env without printing anything: standard output may carry JSON. */
export function loadDotEnv(): void {
  config({ quiet: true });
}

/** Exit code of a program refused to start for its settings. */
const BAD_SETTINGS_EXIT_CODE = 2;

/**
 * Reads settings from the environment at a program's start: on a SettingsError, prints its message on
 * standard error and exits with code 2 (a person has to fix the environment or .env; retrying cannot help).
 */
export function settingsOrExit<T>(read: (env: Env) => T): T {
  try {
    return read(process.env);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(BAD_SETTINGS_EXIT_CODE);
  }
}
