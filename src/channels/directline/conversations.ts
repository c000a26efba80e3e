/**
 * The local Direct Line's memory: conversations, their tokens and activities. Bounded: at most
 * `maxConversations` (the least recently active is forgotten first), conversations idle for
 * `idleMs` are forgotten, and each keeps its last `maxActivities` activities. Watermarks count
 * every activity ever added, so they stay valid when old activities are dropped.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Activity, ChannelAccount } from 'botbuilder';

export interface ConversationLimits {
  maxConversations: number;
  maxActivities: number;
  idleMs: number;
}

export const DEFAULT_CONVERSATION_LIMITS: ConversationLimits = {
  maxConversations: 1000,
  maxActivities: 500,
  idleMs: 30 * 60_000,
};

export class Conversation {
  readonly id = randomUUID();
  readonly token = randomBytes(32).toString('base64url');
  /** Whether the bot has been told that the user joined (so it welcomes them once). */
  started = false;
  lastActiveAt = Date.now();
  private readonly activities: Activity[] = [];
  private dropped = 0;
  private readonly sleepers = new Set<() => void>();
  private turns: Promise<unknown> = Promise.resolve();

  constructor(
    readonly user: ChannelAccount,
    private readonly maxActivities: number,
  ) {}

  /** The watermark after the newest activity: how many activities the conversation has ever had. */
  get watermark(): number {
    return this.dropped + this.activities.length;
  }

  acceptsToken(token: string): boolean {
    const expected = Buffer.from(this.token);
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Adds activities, each given the next id; held polls wake unless `quietly` (more is about to follow). */
  append(activities: readonly Partial<Activity>[], { quietly = false } = {}): Activity[] {
    const first = this.watermark;
    const added = activities.map((activity, index) => ({ ...activity, id: `${this.id}|${String(first + index).padStart(7, '0')}` }) as Activity);
    for (const activity of added) this.activities.push(activity);
    this.dropOldest();
    if (!quietly) this.wakeHeldPolls();
    return added;
  }

  /** The activities after `watermark` (those already dropped are skipped). */
  activitiesAfter(watermark: number): Activity[] {
    return this.activities.slice(Math.max(0, watermark - this.dropped));
  }

  /** Resolves when there are activities after `watermark`, after `holdMs`, or when `cancelled` aborts. */
  waitForActivitiesAfter(watermark: number, holdMs: number, cancelled: AbortSignal): Promise<void> {
    if (this.watermark > watermark || cancelled.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        cancelled.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, holdMs);
      this.sleepers.add(wake);
      cancelled.addEventListener('abort', wake);
    });
  }

  wakeHeldPolls(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  /** Runs turns one after another, so a conversation's state is never updated by two turns at once. */
  inTurn<T>(turn: () => Promise<T>): Promise<T> {
    const result = this.turns.then(turn);
    this.turns = result.catch(() => undefined);
    return result;
  }

  private dropOldest(): void {
    const excess = this.activities.length - this.maxActivities;
    if (excess <= 0) return;
    this.activities.splice(0, excess);
    this.dropped += excess;
  }
}

export class ConversationStore {
  /** In order of last activity, least recent first (touching a conversation moves it to the end). */
  private readonly conversations = new Map<string, Conversation>();

  constructor(private readonly limits: ConversationLimits = DEFAULT_CONVERSATION_LIMITS) {}

  get size(): number {
    return this.conversations.size;
  }

  /** A token lasts as long as its conversation: until the conversation has been idle for `idleMs`. */
  get tokenLifetimeSeconds(): number {
    return Math.round(this.limits.idleMs / 1000);
  }

  create(user: ChannelAccount): Conversation {
    this.forgetIdle();
    while (this.conversations.size >= this.limits.maxConversations) this.forgetLeastRecentlyActive();
    const conversation = new Conversation(user, this.limits.maxActivities);
    this.conversations.set(conversation.id, conversation);
    return conversation;
  }

  /** The live conversation with this id, marked active; undefined if unknown or forgotten. */
  find(id: string): Conversation | undefined {
    this.forgetIdle();
    const conversation = this.conversations.get(id);
    if (conversation) this.touch(conversation);
    return conversation;
  }

  findByToken(token: string): Conversation | undefined {
    const conversation = [...this.conversations.values()].find((candidate) => candidate.acceptsToken(token));
    return conversation && this.find(conversation.id);
  }

  private touch(conversation: Conversation): void {
    conversation.lastActiveAt = Date.now();
    this.conversations.delete(conversation.id);
    this.conversations.set(conversation.id, conversation);
  }

  private forgetIdle(): void {
    const idleSince = Date.now() - this.limits.idleMs;
    for (const conversation of this.conversations.values()) {
      if (conversation.lastActiveAt > idleSince) return;
      this.forget(conversation);
    }
  }

  private forgetLeastRecentlyActive(): void {
    const [oldest] = this.conversations.values();
    if (oldest) this.forget(oldest);
  }

  private forget(conversation: Conversation): void {
    this.conversations.delete(conversation.id);
    conversation.wakeHeldPolls();
  }
}
