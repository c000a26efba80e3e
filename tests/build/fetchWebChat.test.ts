/** scripts/fetchWebChat.ts: the pinned Web Chat files out of a tarball checked against its pinned integrity. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadWithNpm, fetchPinnedFiles, filesInTarball, sha512Integrity } from '../../scripts/fetchWebChat.js';
import { pinnedFilesFolder, type PinnedPackage } from '../../src/channels/web/webChatPackage.js';

const WANTED = ['package/dist/webchat.js', 'package/dist/webchat.js.LICENSE.txt'];

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'fetch-web-chat-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A gzipped tarball made by the system's tar, as npm's are: package/... with a large file among the wanted ones. */
function tarball(files: Record<string, string | Buffer>): Buffer {
  const source = join(work, 'source');
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(source, path, '..'), { recursive: true });
    writeFileSync(join(source, path), body);
  }
  execFileSync('tar', ['-czf', join(work, 'package.tgz'), '-C', source, ...Object.keys(files)]);
  return readFileSync(join(work, 'package.tgz'));
}

const STATS = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
const files = {
  'package/package.json': '{"name":"botframework-webchat"}',
  'package/dist/stats.json': STATS,
  'package/dist/webchat.js': '/*! For license information please see webchat.js.LICENSE.txt */\nwindow.WebChat = {};\n',
  'package/dist/webchat.js.LICENSE.txt': 'Licensed under the MIT License\n',
  'package/dist/webchat-es5.js': 'es5',
};

const pinnedFor = (tgz: Buffer): PinnedPackage => ({ name: 'botframework-webchat', version: '0.0.0-test', integrity: sha512Integrity(tgz), files: WANTED });

describe('fetching the pinned Web Chat files', () => {
  it('reads only the wanted files out of a gzipped tarball, whatever their size and place', async () => {
    const found = await filesInTarball(tarball(files), [...WANTED, 'package/dist/stats.json']);
    expect([...found.keys()].sort()).toEqual(['package/dist/stats.json', ...WANTED]);
    expect(found.get('package/dist/stats.json')!.equals(STATS)).toBe(true);
    expect(found.get('package/dist/webchat.js')!.toString()).toBe(files['package/dist/webchat.js']);
  });

  it('says which wanted files a tarball lacks', async () => {
    await expect(filesInTarball(tarball({ 'package/dist/webchat.js': 'x' }), WANTED)).rejects.toThrow('the tarball has no package/dist/webchat.js.LICENSE.txt');
  });

  it('puts the files of a tarball with the pinned integrity in their folder, and downloads nothing once they are there', async () => {
    const tgz = tarball(files);
    const pinned = pinnedFor(tgz);
    let downloads = 0;
    const download = (spec: string) => {
      expect(spec).toBe('botframework-webchat@0.0.0-test');
      downloads += 1;
      return Promise.resolve(tgz);
    };
    const folder = await fetchPinnedFiles(work, pinned, download);
    expect(folder).toBe(pinnedFilesFolder(work, pinned));
    expect(readdirSync(folder).sort()).toEqual(['webchat.js', 'webchat.js.LICENSE.txt']);
    expect(readFileSync(join(folder, 'webchat.js.LICENSE.txt'), 'utf8')).toBe(files['package/dist/webchat.js.LICENSE.txt']);
    await fetchPinnedFiles(work, pinned, download);
    expect(downloads).toBe(1);
  });

  it('refuses a tarball whose integrity is not the pinned one, and keeps nothing of it', async () => {
    const pinned = pinnedFor(tarball(files));
    const other = tarball({ ...files, 'package/dist/webchat.js': 'tampered' });
    await expect(fetchPinnedFiles(work, pinned, () => Promise.resolve(other))).rejects.toThrow(
      /^botframework-webchat@0\.0\.0-test: the downloaded tarball's integrity is sha512-\S+, not the pinned sha512-/,
    );
    expect(existsSync(pinnedFilesFolder(work, pinned))).toBe(false);
  });

  it('explains a failed download with what npm said', async () => {
    // --offline: a version that npm's cache cannot have fails at once, without the network.
    await expect(downloadWithNpm('botframework-webchat@0.0.0-not-published', ['--offline'])).rejects.toThrow(
      /^Could not download botframework-webchat@0\.0\.0-not-published with `npm pack`, which the chat page's Web Chat bundle comes from:\nnpm error/,
    );
  });
});
