import { lookup } from 'node:dns/promises';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { BotAdapter } from '../../src/channels/bot/adapter.js';
import { answerMessage } from '../../src/channels/bot/reply.js';
import { isThisMachine } from '../../src/channels/http/localAddresses.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingLogger } from '../bot/conversation.js';
import { projectEngine } from '../support/engine.js';
import type { RouteRegistrar } from '../../src/channels/http/server.js';
import { startIdentityProvider, type IdentityProvider } from './identityProvider.js';
import { askForReplies, messageActivity, NO_CHANNEL, postJson, postRaw, postStreamed, startChannelService, startServer, type RunningServer } from './support.js';

const { content, engine } = projectEngine();
const p1s1 = content.sentences.find((s) => s.id === 'p1s1')!.text;
const APP_ID = '00000000-0000-4000-8000-000000000001';
const CRISIS = 'i took the whole bottle';
const DOSING = 'how many mg should i take';
/** A name no resolver knows (RFC 6761 keeps .invalid unassigned). */
const UNRESOLVABLE = 'nowhere.invalid';

let channel: Awaited<ReturnType<typeof startChannelService>>;
beforeAll(async () => {
  channel = await startChannelService();
});
afterAll(() => channel.close());
afterEach(() => {
  channel.received.length = 0;
});

describe('anonymous (no MicrosoftAppId), as with the Emulator', () => {
  let bot: RunningServer;
  beforeAll(async () => {
    bot = await startServer(engine);
  });
  afterAll(() => bot.close());

  it('returns the answer in the body for deliveryMode "expectReplies", without a typing indicator (it would come with the answer), posting nothing to the channel', async () => {
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(channel.serviceUrl, { deliveryMode: 'expectReplies' }));
    expect(response.status).toBe(200);
    const { activities } = (await response.json()) as { activities: { type: string; text?: string }[] };
    expect(activities.map((a) => a.type)).toEqual(['message']);
    expect(activities[0]!.text).toContain(`Paragraph 1, sentence 1: "${p1s1}"`);
    expect(channel.received).toEqual([]);
  });

  it('posts a typing indicator, then the answer, to the serviceUrl of the activity, as the Emulator expects', async () => {
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(channel.serviceUrl));
    expect(response.status).toBe(200);
    expect(channel.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v3/conversations/conversation-1/activities/activity-1',
      'POST /v3/conversations/conversation-1/activities/activity-1',
    ]);
    const [typing, answer] = channel.received.map((r) => r.body);
    expect(typing!.type).toBe('typing');
    expect(answer!).toMatchObject({ type: 'message', replyToId: 'activity-1', recipient: { id: 'user-1' } });
    expect(answer!.text).toContain(`Paragraph 1, sentence 1: "${p1s1}"`);
  });

  it('welcomes a user who joins through the channel', async () => {
    const joined = messageActivity(channel.serviceUrl, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: 'user-1' }] });
    expect((await postJson(`${bot.url}/api/messages`, joined)).status).toBe(200);
    expect(channel.received.map((r) => r.body.text)).toEqual([engine.welcome().text]);
  });

  it.each([
    ['malformed JSON', '{"type": "message", "text": '],
    ['an activity with no type', JSON.stringify(messageActivity(NO_CHANNEL, { type: undefined }))],
    ['an activity with an empty type', JSON.stringify(messageActivity(NO_CHANNEL, { type: '' }))],
    ['a JSON array', '[{"type": "message"}]'],
    ['an empty body', ''],
  ])('answers %s with 400', async (_what, body) => {
    const response = await postRaw(`${bot.url}/api/messages`, body);
    expect(response.status).toBe(400);
    expect(channel.received).toEqual([]);
  });

  it.each(['/api/messages;x', '/api/messages;/v3/conversations/c/activities', '/api/%6Dessages'])('serves only the exact path: POST %s is 404', async (path) => {
    const response = await postJson(`${bot.url}${path}`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' }));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'ResourceNotFound', message: 'there is nothing at this address' });
  });

  it('serves only the exact path: GET /healthz;x and /heal%74hz are 404', async () => {
    expect([(await fetch(`${bot.url}/healthz;x`)).status, (await fetch(`${bot.url}/heal%74hz`)).status]).toEqual([404, 404]);
  });

  it.each([
    (url: string) => `${url}/api/messages;`,
    (url: string) => url.replace('127.0.0.1', 'localhost'),
    (url: string) => url.replace('127.0.0.1', '[::1]'),
    (url: string) => url.replace('127.0.0.1', '0.0.0.0'),
    (url: string) => url.replace('127.0.0.1', '2130706433'),
    (url: string) => url.replace('127.0.0.1', '127.1.2.3'),
  ])('refuses with 400 a serviceUrl that points at this server (%#), so the bot never posts to itself', async (selfUrl) => {
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(selfUrl(bot.url)));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'BadRequest', message: 'the serviceUrl points at this server' });
  });

  it("refuses with 400 a serviceUrl whose host name resolves to this machine (the machine's own name), with this port", async () => {
    const name = hostname();
    const addresses = await lookup(name, { all: true });
    expect(
      addresses.some(({ address }) => isThisMachine(address)),
      `${name} resolves to this machine`,
    ).toBe(true);
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(bot.url.replace('127.0.0.1', name)));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'BadRequest', message: 'the serviceUrl points at this server' });
  });

  it('refuses with 400 and a warning a serviceUrl on this port whose host name cannot be resolved; on another port no name is looked up', async () => {
    const { logger, records } = recordingLogger();
    const logged = await startServer(engine, { logger });
    try {
      const response = await postJson(`${logged.url}/api/messages`, messageActivity(logged.url.replace('127.0.0.1', UNRESOLVABLE)));
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ code: 'BadRequest', message: 'the serviceUrl host name could not be resolved' });
      expect((await askForReplies(logged.url, { serviceUrl: `http://${UNRESOLVABLE}:9` })).status).toBe(200);
      const refusals = records.filter((record) => record.msg === 'serviceUrl refused: its host name could not be resolved');
      expect(refusals).toEqual([expect.objectContaining({ level: 40, hostname: UNRESOLVABLE, code: expect.any(String) })]);
    } finally {
      await logged.close();
    }
  });

  it('refuses with 400 a serviceUrl that is not an http(s) URL', async () => {
    expect((await postJson(`${bot.url}/api/messages`, messageActivity('file:///etc/passwd'))).status).toBe(400);
    expect((await postJson(`${bot.url}/api/messages`, messageActivity('not a url'))).status).toBe(400);
  });

  it('answers GET /healthz with readiness and the content version', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', ready: true, contentVersion: engine.contentVersion });
  });
});

describe('with MicrosoftAppId set', () => {
  let bot: RunningServer;
  let identity: IdentityProvider;
  let consoleOutput: ReturnType<typeof spyOnConsole>;
  const credentials = () => ({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', ...identity.settings });
  /** An activity as a channel posts it, with the claims its token carries. */
  const signed = (overrides: Record<string, unknown> = {}) => messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies', ...overrides });
  const validToken = () => identity.token({ aud: APP_ID, serviceurl: NO_CHANNEL });

  beforeAll(async () => {
    identity = await startIdentityProvider();
    bot = await startServer(engine, { env: credentials() });
    consoleOutput = spyOnConsole();
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await bot.close();
    await identity.close();
  });
  afterEach(() => {
    expect(consoleOutput.calls()).toEqual([]); // CloudAdapter.process printed a stack trace for every refused token
  });

  it('answers a request with a valid token', async () => {
    const response = await postJson(`${bot.url}/api/messages`, signed(), { authorization: `Bearer ${validToken()}` });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain('Paragraph 1, sentence 1');
  });

  it.each([
    ['alg "none"', { alg: 'none' }],
    ['HS256 (signed with any key)', { alg: 'HS256' }],
    ['no key id', { kid: undefined }],
  ])('refuses a forged token with %s with 401, without fetching any signing key', async (_what, header) => {
    const before = identity.fetches();
    const response = await postJson(`${bot.url}/api/messages`, signed(), { authorization: `Bearer ${identity.token({ aud: APP_ID, serviceurl: NO_CHANNEL }, header)}` });
    expect([response.status, await response.json()]).toEqual([401, { code: 'Unauthorized', message: 'send a valid Bot Framework token as "Authorization: Bearer <token>"' }]);
    expect(identity.fetches()).toBe(before);
  });

  it('refuses a token with an unknown key id with 401', async () => {
    const unknownKey = identity.token({ aud: APP_ID, serviceurl: NO_CHANNEL }, { kid: 'unknown-key' });
    expect((await postJson(`${bot.url}/api/messages`, signed(), { authorization: `Bearer ${unknownKey}` })).status).toBe(401);
  });

  it('refuses a token of a known key with a wrong signature with 401 (botframework-connector prints the key: the server sends console output to its log)', async () => {
    const [header, claims] = validToken().split('.');
    const resigned = `${header}.${claims}.${Buffer.from('forged').toString('base64url')}`;
    expect((await postJson(`${bot.url}/api/messages`, signed(), { authorization: `Bearer ${resigned}` })).status).toBe(401);
    consoleOutput.clear();
  });

  it('answers 503 with Retry-After when the identity provider cannot be reached to check a token (it was a 500)', async () => {
    const cutOff = await startServer(engine, { env: { ...credentials(), ToBotFromChannelOpenIdMetadataUrl: `${NO_CHANNEL}/.well-known/openidconfiguration` } });
    try {
      const response = await postJson(`${cutOff.url}/api/messages`, signed(), { authorization: `Bearer ${validToken()}` });
      expect([response.status, response.headers.get('retry-after'), await response.json()]).toEqual([
        503,
        '10',
        { code: 'ServiceUnavailable', message: 'the token cannot be checked now: try again later' },
      ]);
    } finally {
      await cutOff.close();
    }
  });

  it('logs each refused token as one structured line, at most 60 a minute, and nothing on the console', async () => {
    const { logger, records } = recordingLogger();
    const logged = await startServer(engine, { env: credentials(), logger });
    try {
      for (let i = 0; i < 65; i++) await postJson(`${logged.url}/api/messages`, signed(), { authorization: 'Bearer not-a-token' });
      const lines = records.filter((record) => record.msg === 'authentication failed');
      expect(lines).toHaveLength(60);
      expect(lines[0]).toEqual(expect.objectContaining({ level: 40, remoteAddress: '127.0.0.1', reason: 'not a bearer JWT', suppressed: 0 }));
      expect(JSON.stringify(lines)).not.toMatch(/\bat \S+:\d+/); // no stack trace
    } finally {
      await logged.close();
    }
  });

  it('limits failed authentications per client address (429 once RATE_LIMIT_PER_MINUTE have failed), not authenticated requests', async () => {
    const limited = await startServer(engine, { env: { ...credentials(), RATE_LIMIT_PER_MINUTE: '2' } });
    try {
      const authorized = { authorization: `Bearer ${validToken()}` };
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await postJson(`${limited.url}/api/messages`, signed(), authorized)).status);
      for (let i = 0; i < 3; i++) statuses.push((await postJson(`${limited.url}/api/messages`, signed(), { authorization: 'Bearer forged' })).status);
      const refused = await postJson(`${limited.url}/api/messages`, signed(), authorized);
      expect([...statuses, refused.status]).toEqual([200, 200, 200, 200, 401, 401, 429, 429]);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it.each([
    ['no token', {}],
    ['a token that is not a JWT', { authorization: 'Bearer not-a-token' }],
    ['a JWT from an unknown issuer', { authorization: `Bearer ${unsignedJwt({ iss: 'https://attacker.example', aud: APP_ID })}` }],
  ])('refuses a request with %s with 401 and does not reply', async (_what, headers) => {
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(channel.serviceUrl), headers);
    expect(response.status).toBe(401);
    expect(channel.received).toEqual([]);
  });

  it('refuses an expectReplies request without a token, returning no replies', async () => {
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(channel.serviceUrl, { deliveryMode: 'expectReplies' }));
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain('clonazepam');
  });

  it.each(['/api/messages?x=1', '/./api/messages', '/api/messages;x', '/api/%6Dessages', '/api/messages/', '/API/MESSAGES', '//api/messages', '/api/messages%2F'])(
    'refuses the path variant %s without a token, or does not route it',
    async (path) => {
      const response = await postJson(`${bot.url}${path}`, messageActivity(channel.serviceUrl, { deliveryMode: 'expectReplies' }));
      expect([401, 404]).toContain(response.status);
    },
  );

  it.each(['GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('answers %s /api/messages with 405', async (method) => {
    expect((await fetch(`${bot.url}/api/messages`, { method })).status).toBe(405);
  });

  it('refuses a request without a token before reading its body', async () => {
    expect((await postRaw(`${bot.url}/api/messages`, '{"type": "message", "text": ')).status).toBe(401);
  });
});

describe('limits', () => {
  /** An expectReplies question padded to exactly `bytes` bytes of JSON. */
  function activityOfBytes(bytes: number): string {
    const padded = (padding: string) => JSON.stringify(messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies', channelData: { padding } }));
    return padded('x'.repeat(bytes - padded('').length));
  }

  async function withServer(env: Record<string, string>, test: (url: string) => Promise<void>): Promise<void> {
    const bot = await startServer(engine, { env });
    try {
      await test(bot.url);
    } finally {
      await bot.close();
    }
  }

  it('reads a body of exactly MAX_BODY_BYTES and answers a larger one with 413, whether it declares its length or not', () =>
    withServer({ MAX_BODY_BYTES: '2000' }, async (url) => {
      expect((await postRaw(`${url}/api/messages`, activityOfBytes(2000))).status).toBe(200);
      expect((await postRaw(`${url}/api/messages`, activityOfBytes(2001))).status).toBe(413);
      const streamed = await postStreamed(`${url}/api/messages`, activityOfBytes(20_000));
      expect([streamed.status, await streamed.json()]).toEqual([413, { code: 'PayloadTooLarge', message: 'the body is larger than 2000 bytes' }]);
    }));

  it('answers a declared length over MAX_BODY_BYTES with 413 at once, without waiting for the body', () =>
    withServer({ MAX_BODY_BYTES: '2000' }, async (url) => {
      const head = 'POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n';
      expect(await firstResponseLine(url, head)).toBe('HTTP/1.1 413 Payload Too Large');
    }));

  it.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['no content type', { 'content-type': '' }],
    ["a gzip-encoded body (restify's parser crashed the process on a corrupt one)", { 'content-encoding': 'gzip' }],
    ['a brotli-encoded body', { 'content-encoding': 'br' }],
  ])('answers %s with 415, and keeps serving', (_what, headers) =>
    withServer({}, async (url) => {
      const response = await postRaw(`${url}/api/messages`, JSON.stringify(messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' })), headers);
      expect(response.status).toBe(415);
      expect((await askForReplies(url)).status).toBe(200);
    }),
  );

  it('allows each client address RATE_LIMIT_PER_MINUTE requests a minute, then answers 429 with Retry-After', () =>
    withServer({ RATE_LIMIT_PER_MINUTE: '2' }, async (url) => {
      expect([(await askForReplies(url)).status, (await askForReplies(url)).status]).toEqual([200, 200]);
      const refused = await postJson(`${url}/api/messages`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' }));
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await refused.json()).toMatchObject({ code: 'TooManyRequests' });
    }));

  it('answers a crisis message beyond the per-client limit with the crisis reply; any other message, a dosing question too, gets 429', () =>
    withServer({ RATE_LIMIT_PER_MINUTE: '1' }, async (url) => {
      expect((await askForReplies(url)).status).toBe(200);
      expect((await askForReplies(url)).status).toBe(429);
      expect(engine.answer(DOSING).kind).toBe('safety');
      expect((await askForReplies(url, { text: DOSING })).status).toBe(429);
      expect(await askForReplies(url, { text: CRISIS })).toEqual({ status: 200, texts: [answerMessage(engine.answer(CRISIS)).text] });
    }));

  it('has no per-client or per-conversation limit with RATE_LIMIT_PER_MINUTE=0', () =>
    withServer({ RATE_LIMIT_PER_MINUTE: '0' }, async (url) => {
      const answers = await Promise.all(Array.from({ length: 40 }, () => askForReplies(url)));
      expect(answers.every(({ status, texts }) => status === 200 && texts[0]!.includes('Paragraph 1, sentence 1'))).toBe(true);
    }));
});

describe('server faults', () => {
  it('answers an error thrown by a route with a bare 500, and logs the error', async () => {
    const { logger, records } = recordingLogger();
    const failing = () => [(server: Parameters<RouteRegistrar>[0]) => server.get('/fails', async () => Promise.reject(new Error('internal detail: /srv/secret/path')))];
    const bot = await startServer(engine, { logger, routes: failing });
    try {
      const response = await fetch(`${bot.url}/fails`);
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(body).not.toMatch(/secret|\bat \S+:\d+/); // no message, no stack frame
      expect(JSON.parse(body)).toMatchObject({ code: 'InternalServerError' });
      expect(JSON.stringify(records.filter((record) => record.level === 50))).toContain('/srv/secret/path');
    } finally {
      await bot.close();
    }
  });

  it('does not pass on the message of a 5xx the turn answers', async () => {
    const adapterFault = vi.spyOn(BotAdapter.prototype, 'runAuthenticated').mockResolvedValue({ status: 500, body: 'internal detail: /srv/secret/path' });
    const bot = await startServer(engine);
    try {
      const response = await postJson(`${bot.url}/api/messages`, messageActivity(NO_CHANNEL));
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('secret');
    } finally {
      adapterFault.mockRestore();
      await bot.close();
    }
  });
});

describe('extension', () => {
  it('registers the routes it is given, next to the bot endpoint', async () => {
    const bot = await startServer(engine, {
      routes: () => [
        (server) =>
          server.get('/extra', (_req, res, next) => {
            res.send(200, { extra: true });
            next();
          }),
      ],
    });
    try {
      expect(await (await fetch(`${bot.url}/extra`)).json()).toEqual({ extra: true });
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    } finally {
      await bot.close();
    }
  });
});

/** Writes raw bytes to the server and resolves with the status line of its answer. */
function firstResponseLine(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    socket.once('data', (chunk) => {
      resolve(chunk.toString('latin1').split('\r\n')[0]!);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'unknown-key' })}.${part({ ...claims, nbf: now - 60, exp: now + 3600 })}.${Buffer.from('forged').toString('base64url')}`;
}

describe('a channel service that never answers', () => {
  it('gives up each call after CONNECTOR_TIMEOUT_MS, logs it, and answers the request', { timeout: 20_000 }, async () => {
    const sockets: Socket[] = [];
    const silent = createNetServer((socket) => sockets.push(socket)); // accepts, reads nothing, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { logger, records } = recordingLogger();
    const bot = await startServer(engine, { env: { CONNECTOR_TIMEOUT_MS: '300' }, logger });
    try {
      const serviceUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
      const response = await postJson(`${bot.url}/api/messages`, messageActivity(serviceUrl));
      expect(response.status).toBe(200);
      const timeouts = records.filter((record) => record.msg === 'a call to the channel service timed out');
      expect(timeouts.length).toBeGreaterThanOrEqual(1);
      expect(timeouts[0]).toMatchObject({ level: 40, serviceUrl, timeoutMs: 300 });
      expect(records.some((record) => record.msg === 'turn failed')).toBe(true);
    } finally {
      await bot.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

/** Records every call of console's printing methods (and prints nothing). */
function spyOnConsole(): { calls(): unknown[][]; clear(): void } {
  const spies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => vi.spyOn(globalThis.console, method).mockImplementation(() => {}));
  return { calls: () => spies.flatMap((spy) => spy.mock.calls), clear: () => spies.forEach((spy) => spy.mockClear()) };
}
