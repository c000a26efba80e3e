/**
 * The sideloadable Teams app package: teams/manifest.json with the bot's app id and the project
 * version filled in, and the two icons it names, zipped at the root as Teams expects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PROJECT_ROOT } from '../shared/loadEngine.js';
import type { BotSettings } from '../shared/settings.js';

const TEAMS_FOLDER = 'teams';

/** A setting the package cannot be built without; its message says what to do. */
export class TeamsPackageError extends Error {}

interface TeamsManifest {
  id: string;
  version: string;
  icons: { color: string; outline: string };
  bots: { botId: string }[];
}

function teamsManifest(bot: BotSettings, root = PROJECT_ROOT): TeamsManifest {
  const values: Readonly<Record<string, string>> = { MicrosoftAppId: appIdOf(bot), version: projectVersion(root) };
  const template = readFileSync(join(root, TEAMS_FOLDER, 'manifest.json'), 'utf8');
  return JSON.parse(template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole)) as TeamsManifest;
}

export async function teamsAppPackage(bot: BotSettings, root = PROJECT_ROOT): Promise<Buffer> {
  const manifest = teamsManifest(bot, root);
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  for (const icon of [manifest.icons.color, manifest.icons.outline]) zip.file(icon, readFileSync(join(root, TEAMS_FOLDER, icon)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The settings made sure that a MicrosoftAppId, if set, is a GUID. */
function appIdOf(bot: BotSettings): string {
  const appId = bot.credentials.MicrosoftAppId;
  if (appId === undefined) {
    throw new TeamsPackageError('MicrosoftAppId is not set. Register the bot in Azure Bot Service, then put its Microsoft App ID in .env (see .env.example).');
  }
  return appId;
}

function projectVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
