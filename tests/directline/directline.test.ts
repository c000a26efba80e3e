import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerMessage } from '../../src/channels/bot/reply.js';
import { closeGracefully } from '../../src/channels/http/lifecycle.js';
import { messageActivity, NO_CHANNEL, postJson } from '../http/support.js';
import { projectEngine } from '../support/engine.js';
import { botMessages, DirectLineClient, request, startLocalChat, type ActivitySet, type LocalChatServer } from './support.js';

const { engine } = projectEngine();
const HALF_LIFE = 'what is the half-life of clonazepam';
const CRISIS = 'i took the whole bottle';

describe('the local Direct Line, with the real bot behind the CloudAdapter', () => {
  let chat: LocalChatServer;
  beforeAll(async () => {
    chat = await startLocalChat({}, { pollHoldMs: 300 });
  });
  afterAll(() => chat.close());

  it('starts a conversation whose first activity is the welcome with the starter questions', async () => {
    const client = await DirectLineClient.start(chat.url);
    expect(client.conversation).toMatchObject({ conversationId: expect.any(String), token: expect.stringMatching(/^\S{32,}$/), expires_in: 1800 });
    const set = await client.activities();
    expect(set.watermark).toBe('1');
    const [welcome] = set.activities;
    expect(welcome).toMatchObject({ type: 'message', text: engine.welcome().text, from: { role: 'bot' }, id: expect.any(String) });
    expect(welcome!.suggestedActions!.actions.map((action) => action.title)).toEqual(engine.welcome().suggestions.map((s) => s.label));
  });

  it('echoes the user activity with its id and clientActivityID, then the answer with its citation (no typing indicator: it would come with the answer)', async () => {
    const client = await DirectLineClient.start(chat.url);
    const { watermark } = await client.activities();
    const id = await client.send(HALF_LIFE, 'client-42');
    const set = await client.activities(watermark);
    const [echo, ...replies] = set.activities;
    expect(echo).toMatchObject({ id, type: 'message', text: HALF_LIFE, from: { id: 'user-1', role: 'user' }, channelData: { clientActivityID: 'client-42' } });
    expect(replies.map((activity) => activity.type)).toEqual(['message']);
    expect(replies[0]).toMatchObject({ replyToId: id, from: { role: 'bot' }, conversation: { id: client.conversation.conversationId } });
    expect(replies[0]!.text).toMatch(/\*\*Sources\*\*\n- \[Paragraph 2, sentence 6\]\(\/article#p2s6\): "/);
    expect(set.watermark).toBe(String(Number(watermark) + 2));
    expect(new Set(set.activities.map((activity) => activity.id)).size).toBe(2);
  });

  it('returns only the activities after the watermark, and keeps follow-up context per conversation', async () => {
    const client = await DirectLineClient.start(chat.url);
    await client.send(HALF_LIFE);
    const { watermark } = await client.activities();
    await client.send('what about withdrawal?');
    const set = await client.activities(watermark);
    expect(set.activities.map((activity) => activity.text ?? activity.type)).toEqual(['what about withdrawal?', expect.stringMatching(/withdraw/i)]);
  });

  it('holds a poll with nothing new and releases it as soon as the bot replies, echo and answer together', async () => {
    const patient = await startLocalChat({}, { pollHoldMs: 10_000 });
    try {
      const client = await DirectLineClient.start(patient.url);
      const { watermark } = await client.activities();
      const started = Date.now();
      const held = client.activities(watermark);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await client.send('i took the whole bottle');
      const set = await held;
      // Released by the reply, not by the end of the 10 s hold; half of it is room for a busy machine.
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(set.activities.map((activity) => activity.type)).toEqual(['message', 'message']);
      expect(botMessages(set)[0]!.text).toContain('911');
    } finally {
      await patient.close();
    }
  });

  it('answers a poll with nothing new empty, with the same watermark, once the hold is over', async () => {
    const client = await DirectLineClient.start(chat.url);
    const { watermark } = await client.activities();
    const started = Date.now();
    expect(await client.activities(watermark)).toEqual({ activities: [], watermark });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('answers held polls at once when the server closes, so a stop is not kept waiting', async () => {
    const closing = await startLocalChat({}, { pollHoldMs: 60_000 });
    const client = await DirectLineClient.start(closing.url);
    const { watermark } = await client.activities();
    const held = client.activities(watermark);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    expect(await closeGracefully(closing.server, 5_000)).toBe('drained');
    // Answered by the stop, well before the 60 s hold would have ended.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await held).toEqual({ activities: [], watermark });
  });

  describe('tokens', () => {
    it('starts the conversation of a generated token, welcoming the user once', async () => {
      const generated = (await (await request(`${chat.url}/directline/tokens/generate`, { method: 'POST' })).json()) as { conversationId: string; token: string };
      const started = await request(`${chat.url}/directline/conversations`, { method: 'POST', token: generated.token });
      expect(started.status).toBe(201);
      expect(await started.json()).toMatchObject({ conversationId: generated.conversationId, token: generated.token });
      const again = await request(`${chat.url}/directline/conversations`, { method: 'POST', token: generated.token });
      expect(again.status).toBe(200);
      const set = (await (await request(`${chat.url}/directline/conversations/${generated.conversationId}/activities`, { token: generated.token })).json()) as ActivitySet;
      expect(set.activities.map((activity) => activity.text)).toEqual([engine.welcome().text]);
    });

    it('refreshes a conversation token', async () => {
      const client = await DirectLineClient.start(chat.url);
      const response = await request(`${chat.url}/directline/tokens/refresh`, { method: 'POST', token: client.conversation.token });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(client.conversation);
    });

    it.each([
      ['no token', undefined],
      ['an unknown token', 'not-a-token'],
    ])('refuses to refresh %s with 401', async (_what, token) => {
      expect((await request(`${chat.url}/directline/tokens/refresh`, { method: 'POST', token })).status).toBe(401);
    });
  });

  describe('refusals', () => {
    let client: DirectLineClient;
    beforeAll(async () => {
      client = await DirectLineClient.start(chat.url);
    });

    it.each([
      ['no token', undefined],
      ['a wrong token', 'wrong-token'],
      ['the token of another conversation', 'other'],
    ])('answers 401 to a request with %s', async (_what, token) => {
      const other = token === 'other' ? (await DirectLineClient.start(chat.url)).conversation.token : token;
      const get = await request(client.activitiesUrl, { token: other });
      const post = await request(client.activitiesUrl, { method: 'POST', token: other, body: { type: 'message', text: 'hi' } });
      expect([get.status, post.status]).toEqual([401, 401]);
      expect(await get.json()).toMatchObject({ error: { code: expect.stringMatching(/^Token/) } });
    });

    it('answers 404 for an unknown conversation id', async () => {
      const url = `${chat.url}/directline/conversations/no-such-conversation/activities`;
      const get = await request(url, { token: client.conversation.token });
      const post = await request(url, { method: 'POST', token: client.conversation.token, body: { type: 'message', text: 'hi' } });
      expect([get.status, post.status]).toEqual([404, 404]);
    });

    it.each([
      ['malformed JSON', '{"type": "message", "text": '],
      ['a JSON array', '[{"type": "message"}]'],
      ['an activity with no type', { text: 'hi' }],
      ['an activity type only the channel may send', { type: 'conversationUpdate', membersAdded: [{ id: 'x' }] }],
      ['a text that is not a string', { type: 'message', text: 42 }],
      ['a from that is not an account', { type: 'message', text: 'hi', from: 'me' }],
    ])('answers 400 to a posted activity with %s, and adds nothing', async (_what, body) => {
      const before = await client.activities();
      const response = await request(client.activitiesUrl, { method: 'POST', token: client.conversation.token, body });
      expect(response.status).toBe(400);
      expect((await client.activities()).watermark).toBe(before.watermark);
    });

    it.each([
      ['malformed JSON', '{"user": '],
      ['a user that is not an account', { user: 'me' }],
      ['a locale that is not a string', { locale: 7 }],
    ])('answers 400 to starting a conversation with %s', async (_what, body) => {
      expect((await request(`${chat.url}/directline/conversations`, { method: 'POST', body })).status).toBe(400);
    });

    it.each(['abc', '-1', '1.5'])('answers 400 to the watermark %j', async (watermark) => {
      expect((await request(`${client.activitiesUrl}?watermark=${watermark}`, { token: client.conversation.token })).status).toBe(400);
    });
  });
});

describe('the per-client limit', () => {
  it('counts every POST of a client address (start, send, tokens, /api/messages) against one budget, and no poll', async () => {
    const chat = await startLocalChat({ RATE_LIMIT_PER_MINUTE: '3' }, { pollHoldMs: 50 });
    try {
      const client = await DirectLineClient.start(chat.url);
      await client.send(HALF_LIFE);
      for (let poll = 0; poll < 5; poll++) await client.activities();
      await client.send('what about withdrawal?');
      const refused = await request(client.activitiesUrl, { method: 'POST', token: client.conversation.token, body: { type: 'message', text: 'hi' } });
      expect([refused.status, Number(refused.headers.get('retry-after')) > 0]).toEqual([429, true]);
      expect((await request(`${chat.url}/directline/tokens/generate`, { method: 'POST' })).status).toBe(429);
      expect((await postJson(`${chat.url}/api/messages`, messageActivity(NO_CHANNEL, { deliveryMode: 'expectReplies' }))).status).toBe(429);
      expect(botMessages(await client.activities())).toHaveLength(3);
    } finally {
      await chat.close();
    }
  });

  it('answers a crisis message beyond the limit with the crisis reply (the body is read to know); any other message gets 429', async () => {
    const chat = await startLocalChat({ RATE_LIMIT_PER_MINUTE: '2' }, { pollHoldMs: 50 });
    try {
      const client = await DirectLineClient.start(chat.url);
      await client.send(HALF_LIFE);
      const { watermark } = await client.activities();
      const refused = await request(client.activitiesUrl, { method: 'POST', token: client.conversation.token, body: { type: 'message', text: HALF_LIFE } });
      expect(refused.status).toBe(429);
      await client.send(CRISIS);
      expect(botMessages(await client.activities(watermark)).map((reply) => reply.text)).toEqual([answerMessage(engine.answer(CRISIS)).text]);
    } finally {
      await chat.close();
    }
  });
});

describe('when it is on', () => {
  it.each([
    ['on without Bot Framework credentials', {}, true],
    ['off with a MicrosoftAppId', { MicrosoftAppId: '00000000-0000-4000-8000-000000000001' }, false],
    ['on with a MicrosoftAppId and DIRECTLINE_ENABLED=true', { MicrosoftAppId: '00000000-0000-4000-8000-000000000001', DIRECTLINE_ENABLED: 'true' }, true],
    ['off with DIRECTLINE_ENABLED=false', { DIRECTLINE_ENABLED: 'false' }, false],
  ])('is %s', async (_what, env: Record<string, string>, on) => {
    const chat = await startLocalChat(env);
    try {
      const page = await fetch(`${chat.url}/`);
      const start = await request(`${chat.url}/directline/conversations`, { method: 'POST' });
      expect([page.status, start.status]).toEqual(on ? [200, 201] : [404, 404]);
    } finally {
      await chat.close();
    }
  });

  it('answers through the same adapter when the bot has credentials (no Bot Framework token is involved)', async () => {
    const chat = await startLocalChat({ MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppPassword: 'secret', DIRECTLINE_ENABLED: 'true' });
    try {
      const client = await DirectLineClient.start(chat.url);
      const { watermark } = await client.activities();
      await client.send(HALF_LIFE);
      expect(botMessages(await client.activities(watermark))[0]!.text).toContain('p2s6');
      expect((await request(`${chat.url}/api/messages`, { method: 'POST', body: { type: 'message', text: 'hi' } })).status).toBe(401);
    } finally {
      await chat.close();
    }
  });

  it('refuses a DIRECTLINE_ENABLED that is neither true nor false', async () => {
    await expect(startLocalChat({ DIRECTLINE_ENABLED: 'yes please' })).rejects.toThrow(/DIRECTLINE_ENABLED="yes please": must be true or false/);
  });
});
