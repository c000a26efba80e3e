import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConversationStore, DEFAULT_CONVERSATION_LIMITS, type ConversationLimits } from '../../src/channels/directline/conversations.js';

const user = { id: 'user-1', name: 'User' };
const message = (text: string) => ({ type: 'message', text });

function store(limits: Partial<ConversationLimits> = {}): ConversationStore {
  return new ConversationStore({ ...DEFAULT_CONVERSATION_LIMITS, ...limits });
}

describe('a conversation', () => {
  it('numbers its activities and returns those after a watermark', () => {
    const conversation = store().create(user);
    const added = conversation.append([message('a'), message('b'), message('c')]);
    expect(added.map((activity) => activity.id)).toEqual([0, 1, 2].map((n) => `${conversation.id}|000000${n}`));
    expect(conversation.watermark).toBe(3);
    expect(conversation.activitiesAfter(1).map((activity) => activity.text)).toEqual(['b', 'c']);
    expect(conversation.activitiesAfter(3)).toEqual([]);
  });

  it('keeps only its newest activities, with watermarks still counting every activity', () => {
    const conversation = store({ maxActivities: 2 }).create(user);
    conversation.append(['a', 'b', 'c', 'd'].map(message));
    expect(conversation.watermark).toBe(4);
    expect(conversation.activitiesAfter(0).map((activity) => activity.text)).toEqual(['c', 'd']);
    expect(conversation.activitiesAfter(3).map((activity) => activity.text)).toEqual(['d']);
  });

  it('accepts only its own token', () => {
    const [first, second] = [store().create(user), store().create(user)];
    expect(first!.acceptsToken(first!.token)).toBe(true);
    expect(first!.acceptsToken(second!.token)).toBe(false);
    expect(first!.acceptsToken('')).toBe(false);
  });

  it('wakes held polls when activities arrive, unless they are added quietly', async () => {
    const conversation = store().create(user);
    let woken = false;
    const held = conversation.waitForActivitiesAfter(0, 10_000, new AbortController().signal).then(() => (woken = true));
    conversation.append([message('echo')], { quietly: true });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken).toBe(false);
    conversation.append([message('answer')]);
    await held;
    expect(woken).toBe(true);
  });

  it('releases a held poll when it is cancelled', async () => {
    const conversation = store().create(user);
    const cancel = new AbortController();
    const held = conversation.waitForActivitiesAfter(0, 10_000, cancel.signal);
    cancel.abort();
    await expect(held).resolves.toBeUndefined();
  });

  it('runs turns one after another, even when one fails', async () => {
    const conversation = store().create(user);
    const order: string[] = [];
    const slow = conversation.inTurn(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('first');
      throw new Error('turn failed');
    });
    const fast = conversation.inTurn(async () => order.push('second'));
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
    const conversation = conversations.create(user);
    expect(conversations.find(conversation.id)).toBe(conversation);
    expect(conversations.findByToken(conversation.token)).toBe(conversation);
    expect(conversations.find('unknown')).toBeUndefined();
    expect(conversations.findByToken('unknown')).toBeUndefined();
  });

  it('forgets conversations idle for longer than the limit, and wakes their held polls', async () => {
    const conversations = store({ idleMs: 60_000 });
    const idle = conversations.create(user);
    const held = idle.waitForActivitiesAfter(0, 10 * 60_000, new AbortController().signal);
    vi.advanceTimersByTime(50_000);
    const active = conversations.create(user);
    vi.advanceTimersByTime(20_000);
    expect(conversations.find(idle.id)).toBeUndefined();
    await expect(held).resolves.toBeUndefined();
    expect(conversations.find(active.id)).toBe(active);
    expect(conversations.findByToken(idle.token)).toBeUndefined();
  });

  it('keeps at most maxConversations, forgetting the least recently active', () => {
    const conversations = store({ maxConversations: 2 });
    const first = conversations.create(user);
    vi.advanceTimersByTime(1_000);
    const second = conversations.create(user);
    vi.advanceTimersByTime(1_000);
    conversations.find(first.id);
    const third = conversations.create(user);
    expect(conversations.size).toBe(2);
    expect(conversations.find(second.id)).toBeUndefined();
    expect([conversations.find(first.id), conversations.find(third.id)]).toEqual([first, third]);
  });

  it('gives tokens the lifetime of an idle conversation', () => {
    expect(store({ idleMs: 30 * 60_000 }).tokenLifetimeSeconds).toBe(1800);
  });
});
