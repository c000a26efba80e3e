import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';
import { settingsFrom } from '../../src/channels/shared/settings.js';
import { TeamsPackageError, teamsAppPackage } from '../../src/channels/teams/appPackage.js';

const APP_ID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const projectVersion = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Width, height and colour type from a PNG's IHDR chunk. */
function pngHeader(png: Buffer): { width: number; height: number; colorType: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), colorType: png[25]! };
}

/** The parts of the Teams manifest these tests read. */
interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  name: { short: string };
  description: { short: string };
  icons: { color: string; outline: string };
}

describe('teamsAppPackage', () => {
  it('zips a manifest for the current schema with the bot id, and its two icons at the root', async () => {
    const zip = await JSZip.loadAsync(await teamsAppPackage(settingsFrom({ MicrosoftAppId: ` ${APP_ID} ` }).bot));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as TeamsManifest;
    expect(manifest.$schema).toMatch(/^https:\/\/developer\.microsoft\.com\/en-us\/json-schemas\/teams\/v1\.(1[7-9]|[2-9]\d)\/MicrosoftTeams\.schema\.json$/);
    expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
    expect(manifest).toMatchObject({ id: APP_ID, version: projectVersion, bots: [{ botId: APP_ID, scopes: ['personal', 'team', 'groupChat'] }] });
    expect(JSON.stringify(manifest)).not.toContain('{{');
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);

    const color = pngHeader(await zip.file(manifest.icons.color)!.async('nodebuffer'));
    const outline = pngHeader(await zip.file(manifest.icons.outline)!.async('nodebuffer'));
    expect(color).toMatchObject({ width: 192, height: 192 });
    expect(outline).toEqual({ width: 32, height: 32, colorType: 6 }); // RGBA: white on transparent
  });

  it.each([
    ['is not set', {}, /MicrosoftAppId is not set/],
    ['is blank', { MicrosoftAppId: '  ' }, /MicrosoftAppId is not set/],
  ])('refuses to build when MicrosoftAppId %s', async (_what, env, message) => {
    const attempt = teamsAppPackage(settingsFrom(env).bot);
    await expect(attempt).rejects.toThrow(TeamsPackageError);
    await expect(attempt).rejects.toThrow(message);
  });
});
