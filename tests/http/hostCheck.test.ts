/** DNS rebinding: an anonymous server answers only requests that name it by a local name or address as Host. */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalChat, type LocalChatServer } from '../directline/support.js';
import { messageActivity, NO_CHANNEL } from './support.js';

/** An HTTP request with the Host header given (fetch does not let a caller set it). */
function withHost(url: string, method: string, path: string, host: string | undefined, body?: unknown): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const json = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = json === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(json)) };
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString() }));
    });
    if (host !== undefined) req.setHeader('host', host);
    req.on('error', reject);
    req.end(json);
  });
}

const ROUTES: [string, string, unknown?][] = [
  ['GET', '/'],
  ['GET', '/healthz'],
  ['POST', '/api/messages', messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' })],
  ['POST', '/directline/conversations', {}],
];

describe('anonymous (no MicrosoftAppId)', () => {
  let chat: LocalChatServer;
  beforeAll(async () => {
    chat = await startLocalChat();
  });
  afterAll(() => chat.close());

  it.each(['attacker.example', 'attacker.example:3978', '127.0.0.1.attacker.example', 'localhost.attacker.example'])('answers 403 on every route to Host %j', async (host) => {
    for (const [method, path, body] of ROUTES) {
      const response = await withHost(chat.url, method, path, host, body);
      expect([path, response.status]).toEqual([path, 403]);
      expect(JSON.parse(response.body)).toEqual({ code: 'Forbidden', message: 'this server answers only requests addressed to it as localhost or by its address' });
    }
  });

  it('answers 400 on every route to an empty Host (the malformed-Host guard runs first)', async () => {
    for (const [method, path, body] of ROUTES) {
      const response = await withHost(chat.url, method, path, '', body);
      expect([path, response.status]).toEqual([path, 400]);
    }
  });

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]', '127.0.0.2', 'app.localhost'])('serves Host %s (with the port)', async (name) => {
    const { port } = new URL(chat.url);
    for (const [method, path, body] of ROUTES) {
      const response = await withHost(chat.url, method, path, `${name}:${port}`, body);
      expect([path, response.status]).toEqual([path, method === 'POST' && path.startsWith('/directline') ? 201 : 200]);
    }
  });
});

describe('with MicrosoftAppId and DIRECTLINE_ENABLED=true (a published bot, reached by its own name)', () => {
  it('does not check Host', async () => {
    const chat = await startLocalChat({ MicrosoftAppId: '00000000-0000-4000-8000-000000000001', DIRECTLINE_ENABLED: 'true' });
    try {
      expect((await withHost(chat.url, 'GET', '/healthz', 'assistant.example.org')).status).toBe(200);
      expect((await withHost(chat.url, 'POST', '/directline/conversations', 'assistant.example.org', {})).status).toBe(201);
    } finally {
      await chat.close();
    }
  });
});
