import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';
import { contentSecurityPolicy, frameAncestorsFrom } from '../../src/channels/web/securityHeaders.js';
import { pinnedFilesFolder } from '../../src/channels/web/webChatPackage.js';
import { projectEngine } from '../support/engine.js';
import { startLocalChat, type LocalChatServer } from './support.js';

const webChatFile = (name: string) => readFileSync(join(pinnedFilesFolder(PROJECT_ROOT), name));
const webChatBundle = webChatFile('webchat.js');

describe('the chat page', () => {
  let chat: LocalChatServer;
  beforeAll(async () => {
    chat = await startLocalChat();
  });
  afterAll(() => chat.close());

  /** The hashed URL the chat page gives a file. */
  async function assetUrl(name: string): Promise<string> {
    const [base, extension] = name.split('.');
    const html = await (await fetch(`${chat.url}/`)).text();
    return new RegExp(`/webchat/${base}\\.[\\w-]{12}\\.${extension}`).exec(html)![0];
  }

  it('loads Web Chat and its own script from this server, with a title and what the assistant does and does not do', async () => {
    const response = await fetch(`${chat.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    expect(html).toMatch(/one article on clonazepam.*does not give medical advice.*call 911\./s);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.map((tag) => /src="([^"]+)"/.exec(tag)?.[1])).toEqual([expect.stringMatching(HASHED('webchat', 'js')), expect.stringMatching(HASHED('chat', 'js'))]);
    expect(html).toContain('<a href="/article" target="_blank">Read the article');
    expect(html).not.toMatch(/<script\b[^>]*>[^<]/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('sends the security headers, with a fresh style nonce that the page script carries', async () => {
    const [first, second] = await Promise.all([fetch(`${chat.url}/`), fetch(`${chat.url}/`)]);
    const policy = first.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    expect(policy).toBe(contentSecurityPolicy("'self'", nonce));
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
    expect(/<script src="\/webchat\/chat\.[\w-]+\.js" nonce="([^"]+)" defer>/.exec(await first.text())?.[1]).toBe(nonce);
    expect(second.headers.get('content-security-policy')).not.toContain(nonce);
    expect(Object.fromEntries(['x-content-type-options', 'referrer-policy', 'x-frame-options', 'cache-control'].map((name) => [name, first.headers.get(name)]))).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'SAMEORIGIN',
      'cache-control': 'no-store',
    });
  });

  it("serves the notice of the licences in Web Chat's bundle where the bundle's first line points", async () => {
    const bundleUrl = await assetUrl('webchat.js');
    expect(webChatBundle.toString('utf8', 0, 100)).toMatch(/^\/\*! For license information please see webchat\.js\.LICENSE\.txt \*\//);
    const response = await fetch(new URL('webchat.js.LICENSE.txt', `${chat.url}${bundleUrl}`), { headers: { 'accept-encoding': 'identity' } });
    expect([response.status, response.headers.get('content-type'), response.headers.get('cache-control')]).toEqual([200, 'text/plain; charset=utf-8', 'no-cache']);
    const notice = Buffer.from(await response.arrayBuffer());
    expect(notice.equals(webChatFile('webchat.js.LICENSE.txt'))).toBe(true);
    expect(notice.toString()).toContain('Licensed under the MIT License');
  });

  it('serves the Web Chat bundle from the pinned tarball at a URL naming its content hash, for a year, compressed as asked', async () => {
    const url = `${chat.url}${await assetUrl('webchat.js')}`;
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await plain.arrayBuffer()).equals(webChatBundle)).toBe(true);
    const brotli = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.body).equals(webChatBundle)).toBe(true);
    console.log(`Web Chat's bundle: ${webChatBundle.length} bytes, ${brotli.body.length} with brotli`);
    const gzipped = await rawGet(url, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.body).equals(webChatBundle)).toBe(true);
    const etag = plain.headers.get('etag')!;
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(`${chat.url}/webchat/webchat.js`)).status).toBe(404);
  });

  it.each([
    ['chat.js', 'text/javascript; charset=utf-8'],
    ['chat.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
  ])('serves %s', async (name, type) => {
    const response = await fetch(`${chat.url}${await assetUrl(name)}`);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, type]);
  });

  it('serves the article view: every sentence anchored by its id, under the same policy, without scripts', async () => {
    const response = await fetch(`${chat.url}/article`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self';/);
    const html = await response.text();
    const { sentences } = projectEngine().content;
    for (const sentence of sentences) expect(html).toContain(`<span class="sentence" id="${sentence.id}">`);
    expect(html).toContain('<h2 id="p3">Paragraph 3</h2>');
    expect(html).toContain('Generic Clonazepam 2mg increases the efficiency');
    expect(html).not.toMatch(/<script\b/);
  });
});

describe('framing', () => {
  it('lets the sites in WEBCHAT_FRAME_ANCESTORS embed the page', async () => {
    const chat = await startLocalChat({ WEBCHAT_FRAME_ANCESTORS: "'self' https://clinic.example.org" });
    try {
      const response = await fetch(`${chat.url}/`);
      expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'self' https:\/\/clinic\.example\.org$/);
      expect(response.headers.get('x-frame-options')).toBeNull();
    } finally {
      await chat.close();
    }
  });

  it.each([
    [undefined, "'self'"],
    ['  ', "'self'"],
    ["'none'", "'none'"],
    ['none', "'none'"],
    ['self https://a.example.org', "'self' https://a.example.org"],
    ['https://a.example.org  *.b.example.org:8443', 'https://a.example.org *.b.example.org:8443'],
  ])('reads %j as %j', (setting, expected) => {
    expect(frameAncestorsFrom(setting)).toBe(expected);
  });

  it.each(["'self'; script-src *", 'https://a.example.org,https://b.example.org', "'unsafe-inline'"])('refuses %j', (setting) => {
    expect(() => frameAncestorsFrom(setting)).toThrow(/is not a CSP source/);
  });
});

/** /webchat/<name>.<hash>.<ext> */
function HASHED(name: string, extension: string): RegExp {
  return new RegExp(`^/webchat/${name}\\.[\\w-]{12}\\.${extension}$`);
}

/** fetch decompresses transparently; this shows the bytes as sent. */
async function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}
