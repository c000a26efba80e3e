/**
 * The files of the chat page and the article view: Microsoft Web Chat's full bundle from the installed
 * `botframework-webchat` package (never a CDN), the page script, style and icon. Each is served at a
 * URL naming its content hash, so browsers may keep it for a year: a changed file gets a new URL.
 * Their brotli and gzip copies are made by `npm run build` (brotli's best quality takes seconds on
 * Web Chat's 3.9 MB) and kept in node_modules/.cache by hash; a file changed since is compressed on
 * first use instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

const FILES = [
  { name: 'webchat.js', contentType: 'text/javascript; charset=utf-8', path: webChatBundle },
  { name: 'chat.js', contentType: 'text/javascript; charset=utf-8', path: publicFile('chat.js') },
  { name: 'chat.css', contentType: 'text/css; charset=utf-8', path: publicFile('chat.css') },
  { name: 'icon.svg', contentType: 'image/svg+xml', path: publicFile('icon.svg') },
];

const BEST = { br: { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }, gzip: { level: constants.Z_BEST_COMPRESSION } };
const QUICK = { br: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }, gzip: {} };
const compressLater = { br: promisify(brotliCompress), gzip: promisify(gzip) };

export class Asset {
  readonly hash: string;
  /** /webchat/webchat.<hash>.js */
  readonly url: string;
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();

  constructor(
    readonly name: string,
    readonly body: Buffer,
    readonly contentType: string,
    private readonly root: string,
  ) {
    this.hash = createHash('sha256').update(body).digest('base64url');
    this.url = `/webchat/${name.replace(/(\.\w+)$/, `.${this.hash.slice(0, 12)}$1`)}`;
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
  return new Map(FILES.map(({ name, contentType, path }) => [name, new Asset(name, readFileSync(path(root)), contentType, root)]));
}

/** The package's entry is lib/index.js; its full browser bundle (with Adaptive Cards and markdown) sits in dist/. */
function webChatBundle(root: string): string {
  return join(dirname(createRequire(join(root, 'package.json')).resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}

function publicFile(name: string): (root: string) => string {
  return (root) => join(publicFolder(root), name);
}

export function publicFolder(root: string): string {
  return join(root, 'src', 'channels', 'web', 'public');
}
