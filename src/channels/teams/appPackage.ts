/**
 * The sideloadable Teams app package: teams/manifest.json with the bot's app id and the project
 * version filled in, and the two icons it names, zipped at the root as Teams expects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { botCredentialsFrom } from '../bot/adapter.js';
import { PROJECT_ROOT } from '../shared/loadEngine.js';

const TEAMS_FOLDER = 'teams';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A setting the package cannot be built without; its message says what to do. */
export class TeamsPackageError extends Error {}

interface TeamsManifest {
  id: string;
  version: string;
  icons: { color: string; outline: string };
  bots: { botId: string }[];
}

function teamsManifest(env: NodeJS.ProcessEnv, root = PROJECT_ROOT): TeamsManifest {
  const values: Readonly<Record<string, string>> = { MicrosoftAppId: appIdFrom(env), version: projectVersion(root) };
  const template = readFileSync(join(root, TEAMS_FOLDER, 'manifest.json'), 'utf8');
  return JSON.parse(template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole)) as TeamsManifest;
}

export async function teamsAppPackage(env: NodeJS.ProcessEnv, root = PROJECT_ROOT): Promise<Buffer> {
  const manifest = teamsManifest(env, root);
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  for (const icon of [manifest.icons.color, manifest.icons.outline]) zip.file(icon, readFileSync(join(root, TEAMS_FOLDER, icon)));
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

function appIdFrom(env: NodeJS.ProcessEnv): string {
  const appId = botCredentialsFrom(env).MicrosoftAppId;
  if (typeof appId !== 'string') {
    throw new TeamsPackageError(
      'MicrosoftAppId is not set. Register the bot in Azure Bot Service, then put its Microsoft App ID in .env (see .env.example).',
    );
  }
  if (!GUID.test(appId)) throw new TeamsPackageError(`MicrosoftAppId must be a GUID (the bot's Microsoft App ID), got "${appId}".`);
  return appId;
}

function projectVersion(root: string): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
