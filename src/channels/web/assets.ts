/**
 * The files of the chat page and the article view: Microsoft Web Chat's full bundle, which the build
 * takes from the pinned `botframework-webchat` tarball (webChatPackage.ts; never a CDN), the page
 * script, style and icon. Each is served at a URL naming its content hash, so browsers may keep it for
 * a year: a changed file gets a new URL. The notice of the licences in Web Chat's bundle is served
 * where the bundle's first line points (webchat.js.LICENSE.txt beside it), at a fixed URL.
 * Their brotli and gzip copies are made by `npm run build` (brotli's best quality takes seconds on
 * Web Chat's 3.9 MB) and kept in node_modules/.cache by hash; a file changed since is compressed on
 * first use instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import { pinnedFilesFolder, WEB_CHAT } from './webChatPackage.js';

export type Encoding = 'br' | 'gzip';

const FILES = [
  { name: 'webchat.js', contentType: 'text/javascript; charset=utf-8', path: webChatFile('webchat.js') },
  { name: 'webchat.js.LICENSE.txt', contentType: 'text/plain; charset=utf-8', path: webChatFile('webchat.js.LICENSE.txt'), fixedUrl: true },
  { name: 'chat.js', contentType: 'text/javascript; charset=utf-8', path: publicFile('chat.js') },
  { name: 'chat.css', contentType: 'text/css; charset=utf-8', path: publicFile('chat.css') },
  { name: 'icon.svg', contentType: 'image/svg+xml', path: publicFile('icon.svg') },
];

const BEST = { br: { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }, gzip: { level: constants.Z_BEST_COMPRESSION } };
const QUICK = { br: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }, gzip: {} };
const compressLater = { br: promisify(brotliCompress), gzip: promisify(gzip) };

export class Asset {
  readonly hash: string;
  /** /webchat/webchat.<hash>.js, or /webchat/<name> for a file at a fixed URL. */
  readonly url: string;
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();

  constructor(
    readonly name: string,
    readonly body: Buffer,
    readonly contentType: string,
    private readonly root: string,
    /** A URL that does not change with the content, so browsers must check the file again before using a kept copy. */
    readonly fixedUrl = false,
  ) {
    this.hash = createHash('sha256').update(body).digest('base64url');
    this.url = `/webchat/${fixedUrl ? name : name.replace(/(\.\w+)$/, `.${this.hash.slice(0, 12)}$1`)}`;
    this.etag = `"${this.hash}"`;
  }

  /** The copy made at build if there is one, else one compressed now, off the event loop, then kept. */
  compressed(encoding: Encoding): Promise<Buffer> {
    let copy = this.encoded.get(encoding);
    if (!copy) {
      const path = this.copyPath(encoding);
      copy = existsSync(path) ? Promise.resolve(readFileSync(path)) : compressLater[encoding](this.body, QUICK[encoding]);
      this.encoded.set(encoding, copy);
    }
    return copy;
  }

  /** At build: the best compression, kept by hash, so an unchanged file is not compressed again. */
  precompress(): void {
    for (const encoding of ['br', 'gzip'] as const) {
      const path = this.copyPath(encoding);
      if (existsSync(path)) continue;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, encoding === 'br' ? brotliCompressSync(this.body, BEST.br) : gzipSync(this.body, BEST.gzip));
    }
  }

  private copyPath(encoding: Encoding): string {
    // Beside the engine's cache (loadEngine's cacheFile), which the server bundle does not import.
    return join(this.root, 'node_modules', '.cache', 'faq-assistant', 'webchat', `${this.hash}.${encoding}`);
  }
}

/** The page's files, read from `root` (the project folder) once. */
export function pageAssets(root: string): Map<string, Asset> {
  return new Map(FILES.map(({ name, contentType, path, fixedUrl }) => [name, new Asset(name, readPageFile(path(root)), contentType, root, fixedUrl)]));
}

function readPageFile(path: string): Buffer {
  if (!existsSync(path)) throw new Error(`${path} is missing: \`npm run build\` makes it (Web Chat's files from the ${WEB_CHAT.name}@${WEB_CHAT.version} tarball)`);
  return readFileSync(path);
}

function webChatFile(name: string): (root: string) => string {
  return (root) => join(pinnedFilesFolder(root), name);
}

function publicFile(name: string): (root: string) => string {
  return (root) => join(publicFolder(root), name);
}

export function publicFolder(root: string): string {
  return join(root, 'src', 'channels', 'web', 'public');
}
