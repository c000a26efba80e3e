/**
 * A step of `npm run build`: the files of the pinned botframework-webchat tarball that the chat page
 * serves (src/channels/web/webChatPackage.ts), in node_modules/.cache. npm downloads the tarball (so its
 * registry, proxy and cache settings apply, and a second build needs no network), this script checks it
 * against the pinned integrity and reads only the wanted files out of it.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { PROJECT_ROOT } from '../src/channels/shared/loadEngine.js';
import { pinnedFilesFolder, WEB_CHAT, type PinnedPackage } from '../src/channels/web/webChatPackage.js';

export type Download = (spec: string) => Promise<Buffer>;

/** Makes sure the pinned package's files are in their folder; returns the folder. */
export async function fetchPinnedFiles(root: string, pinned: PinnedPackage = WEB_CHAT, download: Download = downloadWithNpm): Promise<string> {
  const folder = pinnedFilesFolder(root, pinned);
  // The folder appears whole (renamed from a partial one) or not at all.
  if (existsSync(folder)) return folder;
  const spec = `${pinned.name}@${pinned.version}`;
  const tarball = await download(spec);
  const integrity = sha512Integrity(tarball);
  if (integrity !== pinned.integrity) throw new Error(`${spec}: the downloaded tarball's integrity is ${integrity}, not the pinned ${pinned.integrity}`);
  const files = await filesInTarball(tarball, pinned.files);
  const partial = `${folder}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  for (const [path, body] of files) writeFileSync(join(partial, basename(path)), body);
  renameSync(partial, folder);
  return folder;
}

/** `npm pack` into a temporary folder: npm checks the tarball against the registry's integrity, installs and runs nothing. */
export async function downloadWithNpm(spec: string, npmArguments: readonly string[] = []): Promise<Buffer> {
  const folder = mkdtempSync(join(tmpdir(), 'faq-assistant-pack-'));
  try {
    const { stdout } = await promisify(execFile)('npm', ['pack', spec, '--json', '--pack-destination', folder, ...npmArguments], { cwd: folder });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    return readFileSync(join(folder, filename));
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new Error(`Could not download ${spec} with \`npm pack\`, which the chat page's Web Chat bundle comes from:\n${detail}`, { cause: error });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export function sha512Integrity(data: Buffer): string {
  return `sha512-${createHash('sha512').update(data).digest('base64')}`;
}

const BLOCK = 512;

/** The named regular files of a gzipped tar archive, read as it streams by: the rest (Web Chat's tarball unpacks to 160 MB) is skipped, not kept. */
export async function filesInTarball(tgz: Buffer, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  let pending = Buffer.alloc(0);
  let entry: { path: string; size: number; left: number; chunks: Buffer[] | null } | null = null;
  for await (const chunk of Readable.from([tgz]).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (!entry) {
        if (pending.length < BLOCK) break;
        entry = entryOf(pending.subarray(0, BLOCK), paths);
        pending = pending.subarray(BLOCK);
      }
      // An entry's data fills whole blocks; only its first `size` bytes are the file.
      const taken = pending.subarray(0, Math.min(entry.left, pending.length));
      entry.chunks?.push(taken);
      entry.left -= taken.length;
      pending = pending.subarray(taken.length);
      if (entry.left > 0) break;
      if (entry.chunks) found.set(entry.path, Buffer.concat(entry.chunks).subarray(0, entry.size));
      entry = null;
    }
  }
  const missing = paths.filter((path) => !found.has(path));
  if (missing.length > 0) throw new Error(`the tarball has no ${missing.join(', ')}`);
  return found;
}

/** A ustar header: the entry's path (prefix/name) and size; its data kept only if it is a wanted regular file. An all-zero block (the archive's end) is an empty entry. */
function entryOf(header: Buffer, wanted: readonly string[]) {
  const text = (start: number, length: number) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
  const prefix = text(345, 155);
  const path = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
  const size = parseInt(text(124, 12).trim() || '0', 8);
  const regularFile = ['0', ''].includes(text(156, 1));
  return { path, size, left: Math.ceil(size / BLOCK) * BLOCK, chunks: regularFile && wanted.includes(path) ? [] : null };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await fetchPinnedFiles(PROJECT_ROOT);
