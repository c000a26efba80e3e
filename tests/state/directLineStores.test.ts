/**
 * The local Direct Line's budgets, one suite over the in-memory store and the Redis store: ids and
 * watermarks, the history's byte budget, pages, tokens, a full store that refuses rather than forget
 * a conversation in use; and, for Redis, a second instance's view and wake-ups.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activity } from 'botbuilder';
import {
  ConversationStore,
  DEFAULT_CONVERSATION_LIMITS,
  type ActivityPage,
  type ConversationLimits,
  type DirectLineConversation,
  type DirectLineStore,
} from '../../src/channels/directline/conversations.js';
import type { RedisClient } from '../../src/channels/shared/redis.js';
import { RedisConversationStore } from '../../src/channels/state/redisConversations.js';
import { connectedClient, useRedisServer } from './redisSupport.js';

const user = { id: 'user-1', name: 'User' };
const message = (text: string) => ({ type: 'message', text });
const redisServer = useRedisServer();
let client: RedisClient;
let subscriber: RedisClient;
beforeAll(async () => {
  [client, subscriber] = await Promise.all([connectedClient(redisServer().url), connectedClient(redisServer().url)]);
});
afterAll(async () => {
  await Promise.all([client.close(), subscriber.close()]);
});

type StoreFactory = (limits: ConversationLimits) => DirectLineStore;
const stores: [string, StoreFactory][] = [
  ['in memory', (limits) => new ConversationStore(limits)],
  ['in Redis', (limits) => new RedisConversationStore(client, subscriber, limits)],
];

const texts = (page: ActivityPage) => page.json.map((json) => (JSON.parse(json) as Activity).text);

describe.each(stores)('the Direct Line store %s', (name, createStore) => {
  const store = (limits: Partial<ConversationLimits> = {}) => createStore({ ...DEFAULT_CONVERSATION_LIMITS, ...limits });
  async function created(conversations: DirectLineStore = store()): Promise<DirectLineConversation> {
    const conversation = await conversations.create(user);
    if (!conversation) throw new Error('the store is full');
    return conversation;
  }
  beforeEach(async () => {
    if (name === 'in Redis') await client.flushAll();
  });

  it('numbers activities, pages after a watermark, and welcomes once', async () => {
    const conversation = await created();
    const added = await conversation.append([message('a'), message('b'), message('c')]);
    expect(added.map((activity) => activity.id)).toEqual([0, 1, 2].map((n) => `${conversation.id}|000000${n}`));
    const page = await conversation.activitiesAfter(1);
    expect(page.json.map((json) => JSON.parse(json) as unknown)).toEqual(added.slice(1));
    expect(await conversation.activitiesAfter(3)).toEqual({ json: [], watermark: 3 });
    expect([await conversation.claimStart(), await conversation.claimStart()]).toEqual([true, false]);
  });

  it('keeps only the newest activities within conversationBytes, watermarks counting every activity; drops even one that alone does not fit', async () => {
    const conversation = await created(store({ conversationBytes: 1000 }));
    await conversation.append(['a', 'b', 'c', 'd'].map((text) => message(text.repeat(150))));
    expect(texts(await conversation.activitiesAfter(0))).toEqual(['c'.repeat(150), 'd'.repeat(150)]);
    expect((await conversation.activitiesAfter(0)).watermark).toBe(4);
    await conversation.append([message('x'.repeat(600))]);
    expect(await conversation.activitiesAfter(0)).toEqual({ json: [], watermark: 5 });
  });

  it('answers at most pageBytes a poll (at least one activity), the watermark leading to the rest', async () => {
    const conversation = await created(store({ pageBytes: 1000 }));
    await conversation.append(['a', 'b', 'c', 'd', 'e'].map((text) => message(text.repeat(150))));
    const pages: string[][] = [];
    for (let watermark = 0; watermark < 5;) {
      const page = await conversation.activitiesAfter(watermark);
      expect(page.json.reduce((bytes, json) => bytes + json.length * 2, 0)).toBeLessThanOrEqual(1000);
      pages.push(texts(page).map((text) => text[0]!));
      watermark = page.watermark;
    }
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('finds a conversation by id and by token, and only with its own token', async () => {
    const conversations = store();
    const [first, second] = [await created(conversations), await created(conversations)];
    expect((await conversations.find(first.id))?.id).toBe(first.id);
    expect((await conversations.findByToken(second.token))?.id).toBe(second.id);
    expect(await conversations.findByToken('not-a-token')).toBeUndefined();
    expect(await conversations.find('unknown')).toBeUndefined();
    expect(first.acceptsToken(second.token)).toBe(false);
  });

  it('refuses a new conversation when full of conversations in use, and forgets an idle one to make room', async () => {
    const busy = store({ maxConversations: 2 });
    await created(busy);
    await created(busy);
    expect(await busy.create(user)).toBeUndefined();
    const idle = store({ maxConversations: 2, evictableAfterMs: -1 });
    const [oldest] = [await created(idle), await created(idle)];
    expect(await idle.create(user)).toBeDefined();
    expect(await idle.find(oldest.id)).toBeUndefined();
  });

  it('wakes a held poll when activities arrive, not when they are added quietly', async () => {
    const conversation = await created();
    let woken = false;
    const held = conversation.waitForActivitiesAfter(0, 10_000, () => new AbortController().signal).then(() => (woken = true));
    // The Redis store reads the watermark after the poll starts: the poll must be held before the echo comes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await conversation.append([message('echo')], { quietly: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(woken).toBe(false);
    await conversation.append([message('answer')]);
    await held;
    expect(woken).toBe(true);
  });
});

describe('the Direct Line store in Redis, seen from a second instance', () => {
  it('shares conversations and wakes the polls another instance holds', async () => {
    const [a, b] = [new RedisConversationStore(client, subscriber, DEFAULT_CONVERSATION_LIMITS), new RedisConversationStore(client, subscriber, DEFAULT_CONVERSATION_LIMITS)];
    const onA = (await a.create(user))!;
    const onB = (await b.find(onA.id))!;
    const held = onB.waitForActivitiesAfter(0, 10_000, () => new AbortController().signal);
    await onA.append([message('hello')]);
    await held;
    expect(texts(await onB.activitiesAfter(0))).toEqual(['hello']);
  });
});
