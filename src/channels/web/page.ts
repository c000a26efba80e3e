/**
 * GET / serves the chat page, and /webchat/ its files: Microsoft Web Chat's full bundle from the
 * installed `botframework-webchat` package (never a CDN), the page script, style and icon.
 * Files are read once, revalidated with an ETag and sent gzipped to browsers that accept it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'restify';
import type { RouteRegistrar } from '../http/server.js';
import { securityHeaders } from './securityHeaders.js';

const gzipAsync = promisify(gzip);

export interface WebChatPageOptions {
  /** The CSP frame-ancestors sources: who may show the page in an iframe. */
  frameAncestors: string;
  /** Shown in the page's one-line description. */
  emergencyNumber: string;
  /** The project folder: the page's files are in src/channels/web/public, Web Chat in its node_modules. */
  root: string;
}

export function webChatPageRoutes({ frameAncestors, emergencyNumber, root }: WebChatPageOptions): RouteRegistrar {
  const publicFolder = join(root, 'src', 'channels', 'web', 'public');
  const page = readFileSync(join(publicFolder, 'index.html'), 'utf8').replaceAll('{{emergencyNumber}}', escapeHtml(emergencyNumber));
  const files = {
    '/webchat/webchat.js': new StaticFile(readFileSync(webChatBundle(root)), 'text/javascript; charset=utf-8'),
    '/webchat/chat.js': new StaticFile(readFileSync(join(publicFolder, 'chat.js')), 'text/javascript; charset=utf-8'),
    '/webchat/chat.css': new StaticFile(readFileSync(join(publicFolder, 'chat.css')), 'text/css; charset=utf-8'),
    '/webchat/icon.svg': new StaticFile(readFileSync(join(publicFolder, 'icon.svg')), 'image/svg+xml'),
  };
  // HEAD too (Node sends the headers alone): health checks and link checkers use it.
  return (server) => {
    const servePage = async (_req: Request, res: Response) => sendPage(res, page, frameAncestors);
    server.get('/', servePage);
    server.head('/', servePage);
    for (const [path, file] of Object.entries(files)) {
      const serveFile = async (req: Request, res: Response) => sendFile(req, res, file, securityHeaders(frameAncestors));
      server.get(path, serveFile);
      server.head(path, serveFile);
    }
  };
}

/** The package's entry is lib/index.js; its full browser bundle (with Adaptive Cards and markdown) sits in dist/. */
function webChatBundle(root: string): string {
  return join(dirname(createRequire(join(root, 'package.json')).resolve('botframework-webchat')), '..', 'dist', 'webchat.js');
}

/** The page with a fresh nonce, which the page script hands to Web Chat for the <style> elements it adds. */
function sendPage(res: Response, template: string, frameAncestors: string): void {
  const nonce = randomBytes(16).toString('base64');
  const body = template.replaceAll('{{nonce}}', nonce);
  res.writeHead(200, {
    ...securityHeaders(frameAncestors, nonce),
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

class StaticFile {
  readonly etag: string;
  private compressed: Promise<Buffer> | undefined;

  constructor(
    readonly body: Buffer,
    readonly contentType: string,
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  }

  /** Compressed on first use, off the event loop, then kept. */
  gzipped(): Promise<Buffer> {
    this.compressed ??= gzipAsync(this.body);
    return this.compressed;
  }
}

async function sendFile(req: Request, res: Response, file: StaticFile, headers: Record<string, string>): Promise<void> {
  const common = { ...headers, ETag: file.etag, 'Cache-Control': 'no-cache', Vary: 'Accept-Encoding' };
  if (req.header('if-none-match') === file.etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const compress = /\bgzip\b/.test(req.header('accept-encoding') ?? '');
  const body = compress ? await file.gzipped() : file.body;
  res.writeHead(200, {
    ...common,
    'Content-Type': file.contentType,
    'Content-Length': body.length,
    ...(compress ? { 'Content-Encoding': 'gzip' } : {}),
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
