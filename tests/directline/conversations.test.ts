import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Activity } from 'botbuilder';
import { ConversationStore, DEFAULT_CONVERSATION_LIMITS, type ActivityPage, type Conversation, type ConversationLimits } from '../../src/channels/directline/conversations.js';

const user = { id: 'user-1', name: 'User' };
const message = (text: string) => ({ type: 'message', text });

function store(limits: Partial<ConversationLimits> = {}): ConversationStore {
  return new ConversationStore({ ...DEFAULT_CONVERSATION_LIMITS, ...limits });
}

/** A new conversation of the store, which must have room for it. */
function created(conversations: ConversationStore = store()): Conversation {
  const conversation = conversations.create(user);
  if (!conversation) throw new Error('the store is full');
  return conversation;
}

function activitiesOf(page: ActivityPage): Activity[] {
  return page.json.map((json) => JSON.parse(json) as Activity);
}

function textsAfter(conversation: Conversation, watermark: number): string[] {
  return activitiesOf(conversation.activitiesAfter(watermark)).map((activity) => activity.text);
}

describe('a conversation', () => {
  it('numbers its activities and returns those after a watermark', () => {
    const conversation = created();
    const added = conversation.append([message('a'), message('b'), message('c')]);
    expect(added.map((activity) => activity.id)).toEqual([0, 1, 2].map((n) => `${conversation.id}|000000${n}`));
    expect(conversation.watermark).toBe(3);
    expect(activitiesOf(conversation.activitiesAfter(1))).toEqual(added.slice(1));
    expect(conversation.activitiesAfter(3)).toEqual({ json: [], watermark: 3 });
  });

  it('keeps only the newest activities that fit in conversationBytes (two bytes a character of JSON), with watermarks still counting every activity', () => {
    const conversation = created(store({ conversationBytes: 1000 }));
    const added = conversation.append(['a', 'b', 'c', 'd'].map((text) => message(text.repeat(150))));
    const bytesEach = JSON.stringify(added[0]).length * 2;
    expect(bytesEach).toBeGreaterThan(400);
    expect(conversation.watermark).toBe(4);
    expect(textsAfter(conversation, 0)).toEqual(['c'.repeat(150), 'd'.repeat(150)]);
    expect(textsAfter(conversation, 3)).toEqual(['d'.repeat(150)]);
    expect(conversation.bytes).toBe(2 * bytesEach);
  });

  it('drops even the newest activity if alone it does not fit', () => {
    const conversation = created(store({ conversationBytes: 1000 }));
    conversation.append([message('x'.repeat(600))]);
    expect([conversation.watermark, conversation.bytes, conversation.activitiesAfter(0)]).toEqual([1, 0, { json: [], watermark: 1 }]);
  });

  it('answers at most pageBytes of activities at a time (at least one), with the watermark to ask for the rest', () => {
    const conversation = created(store({ pageBytes: 1000 }));
    conversation.append(['a', 'b', 'c', 'd', 'e'].map((text) => message(text.repeat(150))));
    const pages: string[][] = [];
    for (let watermark = 0; watermark < conversation.watermark;) {
      const page = conversation.activitiesAfter(watermark);
      expect(page.json.reduce((bytes, json) => bytes + json.length * 2, 0)).toBeLessThanOrEqual(1000);
      pages.push(activitiesOf(page).map((activity) => activity.text[0]!));
      watermark = page.watermark;
    }
    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    const alone = created(store({ pageBytes: 10 }));
    alone.append([message('big')]);
    expect(alone.activitiesAfter(0).json).toHaveLength(1);
  });

  it('accepts only its own token', () => {
    const [first, second] = [created(), created()];
    expect(first.acceptsToken(first.token)).toBe(true);
    expect(first.acceptsToken(second.token)).toBe(false);
    expect(first.acceptsToken('')).toBe(false);
  });

  it('wakes held polls when activities arrive, unless they are added quietly', async () => {
    const conversation = created();
    let woken = false;
    const held = conversation.waitForActivitiesAfter(0, 10_000, () => new AbortController().signal).then(() => (woken = true));
    conversation.append([message('echo')], { quietly: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(false);
    conversation.append([message('answer')]);
    await held;
    expect(woken).toBe(true);
  });

  it('releases a held poll when it is cancelled', async () => {
    const conversation = created();
    const cancel = new AbortController();
    const held = conversation.waitForActivitiesAfter(0, 10_000, () => cancel.signal);
    cancel.abort();
    await expect(held).resolves.toBeUndefined();
  });

  it('runs turns one after another, even when one fails', async () => {
    const conversation = created();
    const order: string[] = [];
    const slow = conversation.inTurn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('first');
      throw new Error('turn failed');
    });
    const fast = conversation.inTurn(() => Promise.resolve(order.push('second')));
    await expect(slow).rejects.toThrow('turn failed');
    await fast;
    expect(order).toEqual(['first', 'second']);
  });
});

describe('the conversation store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('finds conversations by id and by token', () => {
    const conversations = store();
    const conversation = created(conversations);
    expect(conversations.find(conversation.id)).toBe(conversation);
    expect(conversations.findByToken(conversation.token)).toBe(conversation);
    expect(conversations.find('unknown')).toBeUndefined();
    expect(conversations.findByToken('unknown')).toBeUndefined();
  });

  it('forgets conversations idle for longer than the limit, and wakes their held polls', async () => {
    const conversations = store({ idleMs: 60_000 });
    const idle = created(conversations);
    const held = idle.waitForActivitiesAfter(0, 10 * 60_000, () => new AbortController().signal);
    vi.advanceTimersByTime(50_000);
    const active = created(conversations);
    vi.advanceTimersByTime(20_000);
    expect(conversations.find(idle.id)).toBeUndefined();
    await expect(held).resolves.toBeUndefined();
    expect(conversations.find(active.id)).toBe(active);
    expect(conversations.findByToken(idle.token)).toBeUndefined();
  });

  it('keeps at most maxConversations: when full, it refuses a new one rather than forget one still in use', () => {
    const conversations = store({ maxConversations: 2, evictableAfterMs: 60_000 });
    const [first, second] = [created(conversations), created(conversations)];
    vi.advanceTimersByTime(59_000);
    expect(conversations.create(user)).toBeUndefined();
    expect([conversations.find(first.id), conversations.find(second.id)]).toEqual([first, second]);
  });

  it('when full, forgets the least recently active conversation once it has been idle for evictableAfterMs', () => {
    const conversations = store({ maxConversations: 2, evictableAfterMs: 60_000 });
    const first = created(conversations);
    vi.advanceTimersByTime(1_000);
    const second = created(conversations);
    vi.advanceTimersByTime(60_000);
    conversations.find(first.id);
    const third = created(conversations);
    expect(conversations.size).toBe(2);
    expect(conversations.find(second.id)).toBeUndefined();
    expect([conversations.find(first.id), conversations.find(third.id)]).toEqual([first, third]);
  });

  it('never holds more than maxConversations x conversationBytes of activities, whatever is added', () => {
    const limits = { maxConversations: 20, conversationBytes: 4096, evictableAfterMs: 0 };
    const conversations = store(limits);
    for (let round = 0; round < 200; round++) {
      const conversation = created(conversations);
      conversation.append(Array.from({ length: round % 7 }, (_, i) => message('x'.repeat((round * 37 + i * 101) % 3000))));
      expect(conversations.bytes).toBeLessThanOrEqual(limits.maxConversations * limits.conversationBytes);
    }
    expect(conversations.size).toBe(limits.maxConversations);
  });

  it('gives tokens the lifetime of an idle conversation', () => {
    expect(store({ idleMs: 30 * 60_000 }).tokenLifetimeSeconds).toBe(1800);
  });
});
