/**
 * GET / serves the chat page, GET /article the article view (the whole document, each sentence with
 * its id as anchor, so a source links to /article#p3s4), and /webchat/ the page's files (assets.ts):
 * at URLs naming their content hash, cached for a year, brotli- or gzip-compressed when accepted.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from 'restify';
import type { Sentence } from '../../content/document.js';
import type { RouteRegistrar } from '../http/server.js';
import { pageAssets, publicFolder, type Asset, type Encoding } from './assets.js';
import { securityHeaders } from './securityHeaders.js';

/** Where the article view is; a source in a reply to the local page links to ARTICLE_PATH#<sentence id>. */
export const ARTICLE_PATH = '/article';

const A_YEAR = 365 * 24 * 60 * 60;

export interface WebChatPageOptions {
  /** The CSP frame-ancestors sources: who may show the page in an iframe. */
  frameAncestors: string;
  /** Shown in the page's one-line description. */
  emergencyNumber: string;
  /** The project folder: the page's files are in src/channels/web/public, Web Chat's in node_modules/.cache (webChatPackage.ts). */
  root: string;
  /** The document's sentences, for the article view. */
  sentences: readonly Sentence[];
}

export function webChatPageRoutes({ frameAncestors, emergencyNumber, root, sentences }: WebChatPageOptions): RouteRegistrar {
  const assets = pageAssets(root);
  const fill = (file: string) => fillTemplate(readFileSync(join(publicFolder(root), file), 'utf8'), assets, { emergencyNumber: escapeHtml(emergencyNumber) });
  const chatPage = fill('index.html');
  const article = fill('article.html').replace('{{paragraphs}}', articleHtml(sentences));
  // HEAD too (Node sends the headers alone): health checks and link checkers use it.
  return (server) => {
    const route = (path: string, handler: (req: Request, res: Response) => Promise<void>) => {
      server.get(path, handler);
      server.head(path, handler);
    };
    // Async without await on purpose, here and below: a throw becomes a rejection, which restify answers as an error.
    // eslint-disable-next-line @typescript-eslint/require-await
    route('/', async (_req, res) => sendHtml(res, chatPage, frameAncestors));
    // eslint-disable-next-line @typescript-eslint/require-await
    route(ARTICLE_PATH, async (_req, res) => sendHtml(res, article, frameAncestors));
    for (const asset of assets.values()) route(asset.url, async (req, res) => sendAsset(req, res, asset, securityHeaders(frameAncestors)));
  };
}

/** {{asset:chat.css}} becomes the file's hashed URL, {{name}} the value given. */
function fillTemplate(template: string, assets: ReadonlyMap<string, Asset>, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{asset:([\w.]+)\}\}/g, (_whole, name: string) => assets.get(name)!.url).replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

/** One section a paragraph, one anchored span a sentence, its number shown (and spoken) before it. */
function articleHtml(sentences: readonly Sentence[]): string {
  const paragraphs = [...new Set(sentences.map((sentence) => sentence.paragraph))];
  return paragraphs
    .map((paragraph) => {
      const spans = sentences
        .filter((sentence) => sentence.paragraph === paragraph)
        .map((sentence) => {
          const number = sentence.id.replace(/^p\d+s/, '');
          return `<span class="sentence" id="${sentence.id}"><sup class="sentence-number"><span class="visually-hidden">sentence </span>${number}</sup> ${escapeHtml(sentence.text)}</span>`;
        });
      return `<section aria-labelledby="p${paragraph}"><h2 id="p${paragraph}">Paragraph ${paragraph}</h2>\n<p>${spans.join('\n')}</p></section>`;
    })
    .join('\n');
}

/** An HTML page with a fresh nonce, which the chat page's script hands to Web Chat for the <style> elements it adds. */
function sendHtml(res: Response, template: string, frameAncestors: string): void {
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

async function sendAsset(req: Request, res: Response, asset: Asset, headers: Record<string, string>): Promise<void> {
  const caching = asset.fixedUrl ? 'no-cache' : `public, max-age=${A_YEAR}, immutable`;
  const common = { ...headers, ETag: asset.etag, 'Cache-Control': caching, Vary: 'Accept-Encoding' };
  if (req.header('if-none-match') === asset.etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const encoding = acceptedEncoding(req.header('accept-encoding') ?? '');
  const body = encoding ? await asset.compressed(encoding) : asset.body;
  res.writeHead(200, {
    ...common,
    'Content-Type': asset.contentType,
    'Content-Length': body.length,
    ...(encoding ? { 'Content-Encoding': encoding } : {}),
  });
  res.end(body);
}

function acceptedEncoding(acceptEncoding: string): Encoding | null {
  const accepted = (encoding: string) => new RegExp(`(?:^|,)\\s*${encoding}\\s*(?:,|$|;(?!\\s*q=0(?:\\.0*)?\\s*(?:,|$)))`, 'i').test(acceptEncoding);
  if (accepted('br')) return 'br';
  return accepted('gzip') ? 'gzip' : null;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
