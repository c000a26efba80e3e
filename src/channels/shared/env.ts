/** Reads .env (if any) without printing anything: standard output may carry JSON. */
import { config } from 'dotenv';

export function loadDotEnv(): void {
  config({ quiet: true });
}
