import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { projectEngine } from '../support/engine.js';
import { messageActivity, postJson, postRaw, startChannelService, startServer, type RunningServer } from './support.js';

const { content, engine } = projectEngine();
const p1s1 = content.sentences.find((s) => s.id === 'p1s1')!.text;
const APP_ID = '00000000-0000-4000-8000-000000000001';

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

  it('returns the replies in the body for deliveryMode "expectReplies", posting nothing to the channel', async () => {
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(channel.serviceUrl, { deliveryMode: 'expectReplies' }));
    expect(response.status).toBe(200);
    const { activities } = (await response.json()) as { activities: { type: string; text?: string }[] };
    expect(activities.map((a) => a.type)).toEqual(['typing', 'message']);
    expect(activities[1]!.text).toContain(`p1s1: "${p1s1}"`);
    expect(channel.received).toEqual([]);
  });

  it('posts its replies to the serviceUrl of the activity, as the Emulator expects', async () => {
    const response = await postJson(`${bot.url}/api/messages`, messageActivity(channel.serviceUrl));
    expect(response.status).toBe(200);
    expect(channel.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v3/conversations/conversation-1/activities/activity-1',
      'POST /v3/conversations/conversation-1/activities/activity-1',
    ]);
    const [typing, answer] = channel.received.map((r) => r.body);
    expect(typing!.type).toBe('typing');
    expect(answer!).toMatchObject({ type: 'message', replyToId: 'activity-1', recipient: { id: 'user-1' } });
    expect(answer!.text).toContain(`p1s1: "${p1s1}"`);
  });

  it('welcomes a user who joins through the channel', async () => {
    const joined = messageActivity(channel.serviceUrl, { type: 'conversationUpdate', text: undefined, membersAdded: [{ id: 'user-1' }] });
    expect((await postJson(`${bot.url}/api/messages`, joined)).status).toBe(200);
    expect(channel.received.map((r) => r.body.text)).toEqual([engine.welcome().text]);
  });

  it.each([
    ['malformed JSON', '{"type": "message", "text": '],
    ['an activity with no type', JSON.stringify(messageActivity('http://127.0.0.1:9', { type: undefined }))],
    ['an activity with an empty type', JSON.stringify(messageActivity('http://127.0.0.1:9', { type: '' }))],
    ['a JSON array', '[{"type": "message"}]'],
    ['an empty body', ''],
  ])('answers %s with 400', async (_what, body) => {
    const response = await postRaw(`${bot.url}/api/messages`, body);
    expect(response.status).toBe(400);
    expect(channel.received).toEqual([]);
  });

  it('answers GET /healthz with readiness and the content version', async () => {
    const response = await fetch(`${bot.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', ready: true, contentVersion: engine.contentVersion });
  });
});

describe('with MicrosoftAppId set', () => {
  let bot: RunningServer;
  beforeAll(async () => {
    bot = await startServer(engine, { env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret' } });
    vi.spyOn(console, 'error').mockImplementation(() => {}); // CloudAdapter prints each refused request
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await bot.close();
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
});

describe('extension', () => {
  it('registers the routes it is given, next to the bot endpoint', async () => {
    const bot = await startServer(engine, {
      routes: [
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

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'unknown-key' })}.${part({ ...claims, nbf: now - 60, exp: now + 3600 })}.${Buffer.from('forged').toString('base64url')}`;
}
