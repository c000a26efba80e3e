/** `npm run teams:package`: writes dist/teams-app.zip, the Teams app package to sideload (bot id from MicrosoftAppId). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDotEnv, settingsOrExit } from '../src/channels/shared/env.js';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { settingsFrom } from '../src/channels/shared/settings.js';
import { TeamsPackageError, teamsAppPackage } from '../src/channels/teams/appPackage.js';

const OUTPUT = join('dist', 'teams-app.zip');

loadDotEnv();
try {
  const zip = await teamsAppPackage(settingsOrExit(settingsFrom).bot);
  mkdirSync(join(PROJECT_ROOT, 'dist'), { recursive: true });
  writeFileSync(join(PROJECT_ROOT, OUTPUT), zip);
  console.log(`Wrote ${OUTPUT} (${zip.length} bytes). Sideload it in Teams: Apps > Manage your apps > Upload an app.`);
} catch (error) {
  if (!(error instanceof TeamsPackageError)) throw error;
  console.error(`teams:package: ${error.message}`);
  process.exitCode = 1;
}
