/**
 * The local Direct Line's budgets, against the real server on loopback: what a posted activity may
 * leave in the history, how much a conversation and a poll may hold, how many polls a client and a
 * conversation may hold at once, and how conversations are started when the store is full.
 */
import type { Activity } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { ECHO_TEXT_CHARS } from '../../src/channels/directline/activities.js';
import { DEFAULT_CONVERSATION_LIMITS } from '../../src/channels/directline/conversations.js';
import { projectEngine } from '../support/engine.js';
import { botMessages, DirectLineClient, request, startLocalChat, type ActivitySet, type LocalChatServer } from './support.js';

const { engine } = projectEngine();

let chat: LocalChatServer | undefined;
afterEach(async () => {
  await chat?.close();
  chat = undefined;
});

async function started(env: Record<string, string> = {}, pollHoldMs = 200): Promise<LocalChatServer> {
  chat = await startLocalChat(env, { pollHoldMs });
  return chat;
}

function post(client: DirectLineClient, activity: Record<string, unknown>): Promise<Response> {
  return request(client.activitiesUrl, { method: 'POST', token: client.conversation.token, body: activity });
}

function poll(client: DirectLineClient, watermark: number | string): Promise<Response> {
  return request(`${client.activitiesUrl}?watermark=${watermark}`, { token: client.conversation.token });
}

describe('what a posted activity leaves in the history', () => {
  it('keeps only the fields Web Chat sends and the bot reads, caps the echoed text, and gives the bot the whole text', async () => {
    const { url } = await started();
    const client = await DirectLineClient.start(url);
    const { watermark } = await client.activities();
    const text = `${'please read all of this. '.repeat(200)}i took the whole bottle`;
    const response = await post(client, {
      type: 'message',
      text,
      locale: 'en-US',
      padding: 'x'.repeat(30_000),
      entities: [{ type: 'ClientCapabilities', padding: 'y'.repeat(1000) }],
      attachments: [{ contentType: 'text/plain', content: 'z'.repeat(1000) }],
      channelData: { clientActivityID: 'client-1', padding: 'w'.repeat(1000) },
      value: { padding: 'v'.repeat(1000) },
    });
    expect(response.status).toBe(200);
    const [echo, answer] = (await client.activities(watermark)).activities;
    expect(Object.keys(echo!).sort()).toEqual(['channelData', 'channelId', 'conversation', 'from', 'id', 'locale', 'recipient', 'serviceUrl', 'text', 'timestamp', 'type']);
    expect(echo!.channelData).toEqual({ clientActivityID: 'client-1' });
    expect(echo!.text).toHaveLength(ECHO_TEXT_CHARS);
    expect(text.startsWith(echo!.text.slice(0, -1))).toBe(true);
    expect(answer!.text).toContain(engine.settings.emergencyNumber);
  });
});

describe('the memory of a conversation, and the size of a poll', () => {
  it.each([
    ['anonymous', {}],
    ['with credentials and DIRECTLINE_ENABLED=true (the way to publish the page)', { MicrosoftAppId: '00000000-0000-4000-8000-000000000001', DIRECTLINE_ENABLED: 'true' }],
  ])('keeps a flooded conversation within its byte budget, and pages its history with watermarks (%s)', async (_mode, env: Record<string, string>) => {
    const { url } = await started(env);
    const client = await DirectLineClient.start(url);
    for (let i = 0; i < 29; i++) {
      expect((await post(client, { type: 'message', text: `question ${i} ${'q'.repeat(8000)}`, padding: 'x'.repeat(50_000) })).status).toBe(200);
    }
    const pages: Activity[][] = [];
    let watermark = '0';
    for (;;) {
      const response = await poll(client, watermark);
      const body = await response.text();
      expect(body.length * 2).toBeLessThanOrEqual(DEFAULT_CONVERSATION_LIMITS.pageBytes + 100);
      const set = JSON.parse(body) as ActivitySet;
      if (set.activities.length === 0) break;
      pages.push(set.activities);
      watermark = set.watermark;
    }
    const kept = pages.flat();
    expect(pages.length).toBeGreaterThan(1);
    expect(kept.reduce((bytes, activity) => bytes + JSON.stringify(activity).length * 2, 0)).toBeLessThanOrEqual(DEFAULT_CONVERSATION_LIMITS.conversationBytes);
    expect(kept.at(-1)!.replyToId).toBe(kept.at(-2)!.id); // the newest are kept: the last question and its answer
    expect(Number(watermark)).toBe(1 + 29 * 2);
    expect(new Set(kept.map((activity) => activity.id)).size).toBe(kept.length);
  });
});

describe('polls held at once', () => {
  it('allows DIRECTLINE_POLLS_PER_CONVERSATION held polls per conversation, then answers 429', async () => {
    const { url } = await started({ DIRECTLINE_POLLS_PER_CONVERSATION: '2' }, 60_000);
    const client = await DirectLineClient.start(url);
    const { watermark } = await client.activities();
    const held = [poll(client, watermark), poll(client, watermark)];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await poll(client, watermark);
    expect([refused.status, refused.headers.get('retry-after'), await refused.json()]).toEqual([
      429,
      '1',
      { error: { code: 'TooManyRequests', message: 'too many polls held at once by this conversation' } },
    ]);
    await client.send('what is clonazepam?');
    expect((await Promise.all(held)).map((response) => response.status)).toEqual([200, 200]);
    expect((await poll(client, watermark)).status).toBe(200); // the places were given back
  });

  it('allows DIRECTLINE_POLLS_PER_CLIENT held polls per client address, across conversations', async () => {
    const { url } = await started({ DIRECTLINE_POLLS_PER_CLIENT: '3' }, 60_000);
    const clients = await Promise.all(Array.from({ length: 4 }, () => DirectLineClient.start(url)));
    const watermarks = await Promise.all(clients.map(async (client) => (await client.activities()).watermark));
    const held = clients.slice(0, 3).map((client, i) => poll(client, watermarks[i]!));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await poll(clients[3]!, watermarks[3]!);
    expect([refused.status, (await refused.json()) as unknown]).toEqual([
      429,
      { error: { code: 'TooManyRequests', message: 'too many polls held at once by this client address' } },
    ]);
    await Promise.all(clients.slice(0, 3).map((client) => client.send('what is clonazepam?')));
    expect((await Promise.all(held)).map((response) => response.status)).toEqual([200, 200, 200]);
    const next = poll(clients[3]!, watermarks[3]!);
    await clients[3]!.send('what is clonazepam?');
    expect((await next).status).toBe(200);
  });
});

describe('starting conversations', () => {
  it('never forgets a conversation in use to make room: a full store answers 503 with Retry-After', async () => {
    const { url } = await started({ DIRECTLINE_MAX_CONVERSATIONS: '5' });
    const active = await DirectLineClient.start(url);
    await Promise.all(Array.from({ length: 4 }, () => DirectLineClient.start(url)));
    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await request(`${url}/directline/conversations`, { method: 'POST' });
      expect([refused.status, Number(refused.headers.get('retry-after')) > 0]).toEqual([503, true]);
      expect((await request(`${url}/directline/tokens/generate`, { method: 'POST' })).status).toBe(503);
    }
    const { watermark } = await active.activities();
    await active.send('what is the half-life of clonazepam');
    expect(botMessages(await active.activities(watermark))[0]!.text).toContain('p2s6');
  });

  it('starts at most DIRECTLINE_CONVERSATIONS_PER_MINUTE conversations a minute, from all clients together, then answers 429', async () => {
    const { url } = await started({ DIRECTLINE_CONVERSATIONS_PER_MINUTE: '3' });
    await DirectLineClient.start(url);
    expect((await request(`${url}/directline/tokens/generate`, { method: 'POST' })).status).toBe(200);
    await DirectLineClient.start(url);
    const refused = await request(`${url}/directline/conversations`, { method: 'POST' });
    expect([refused.status, Number(refused.headers.get('retry-after')) > 0]).toEqual([429, true]);
    expect((await request(`${url}/directline/tokens/generate`, { method: 'POST' })).status).toBe(429);
  });
});
