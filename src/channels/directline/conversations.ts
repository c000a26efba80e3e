/**
 * The local Direct Line's memory: conversations, their tokens and activities. Bounded by construction:
 * at most `maxConversations`, each keeping the newest activities that fit in `conversationBytes`
 * (counted as V8 may store their JSON, two bytes a character), so all histories together never take
 * more than maxConversations x conversationBytes. Conversations idle for `idleMs` are forgotten. A
 * full store makes room only by forgetting a conversation idle for `evictableAfterMs`: one that a
 * client still polls or posts to is never forgotten to make room for another. Activities are kept as
 * JSON, serialised once when added, so answering a poll only joins strings of a bounded page.
 * Watermarks count every activity ever added, so they stay valid when old activities are dropped.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Activity, ChannelAccount } from 'botbuilder';

export interface ConversationLimits {
  maxConversations: number;
  /** Memory the activities of one conversation may take, in bytes (two a character of their JSON). */
  conversationBytes: number;
  /** The most of that one answer to a poll carries; a client gets the rest with the watermark it is given. */
  pageBytes: number;
  idleMs: number;
  /** How long a conversation must have been idle before a full store may forget it to make room. */
  evictableAfterMs: number;
}

export const DEFAULT_CONVERSATION_LIMITS: ConversationLimits = {
  maxConversations: 1000,
  conversationBytes: 64 * 1024,
  pageBytes: 32 * 1024,
  idleMs: 30 * 60_000,
  evictableAfterMs: 5 * 60_000,
};

/** A page of activities: their JSON, and the watermark after the last of them. */
export interface ActivityPage {
  json: string[];
  watermark: number;
}

type MaybePromise<T> = T | Promise<T>;

/** A conversation as the routes use it, kept in this process (Conversation) or in Redis. */
export interface DirectLineConversation {
  readonly id: string;
  readonly user: ChannelAccount;
  readonly token: string;
  acceptsToken(token: string): boolean;
  /** True the first time only: the bot is told once that the user joined. */
  claimStart(): MaybePromise<boolean>;
  append(activities: readonly Partial<Activity>[], options?: { quietly?: boolean }): MaybePromise<Activity[]>;
  activitiesAfter(watermark: number): MaybePromise<ActivityPage>;
  /** Resolves when there are activities after `watermark`, after `holdMs`, or when the signal `cancelled` gives aborts (built only for a poll that waits). */
  waitForActivitiesAfter(watermark: number, holdMs: number, cancelled: () => AbortSignal): Promise<void>;
  wakeHeldPolls(): void;
  inTurn<T>(turn: () => Promise<T>): Promise<T>;
}

/** Where the local Direct Line keeps its conversations. */
export interface DirectLineStore {
  readonly tokenLifetimeSeconds: number;
  /** A new conversation, or undefined when the store is full of conversations that are still in use. */
  create(user: ChannelAccount): MaybePromise<DirectLineConversation | undefined>;
  /** The live conversation with this id, marked active; undefined if unknown or forgotten. */
  find(id: string): MaybePromise<DirectLineConversation | undefined>;
  findByToken(token: string): MaybePromise<DirectLineConversation | undefined>;
}

/** Thrown when the store cannot be reached: the Direct Line answers 503, never a held or failed request. */
export class StoreUnavailableError extends Error {}

/** What an activity's JSON may take in memory: V8 keeps a string in one or two bytes a character. */
function bytesOf(json: string): number {
  return json.length * 2;
}

export class Conversation implements DirectLineConversation {
  readonly id = randomUUID();
  readonly token = randomBytes(32).toString('base64url');
  /** Whether the bot has been told that the user joined (so it welcomes them once). */
  private started = false;
  lastActiveAt = Date.now();
  /** The activities kept, as JSON, oldest first. */
  private readonly kept: string[] = [];
  private keptBytes = 0;
  private dropped = 0;
  private readonly sleepers = new Set<() => void>();
  private turns: Promise<unknown> = Promise.resolve();

  constructor(
    readonly user: ChannelAccount,
    private readonly limits: Pick<ConversationLimits, 'conversationBytes' | 'pageBytes'>,
  ) {}

  /** The watermark after the newest activity: how many activities the conversation has ever had. */
  get watermark(): number {
    return this.dropped + this.kept.length;
  }

  /** Memory its activities take, as counted against `conversationBytes`. */
  get bytes(): number {
    return this.keptBytes;
  }

  claimStart(): boolean {
    if (this.started) return false;
    this.started = true;
    return true;
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
    for (const activity of added) this.keep(JSON.stringify(activity));
    if (!quietly) this.wakeHeldPolls();
    return added;
  }

  /** The activities after `watermark` (those already dropped are skipped), at most a page of them (always one if there is one). */
  activitiesAfter(watermark: number): ActivityPage {
    const start = Math.min(this.kept.length, Math.max(0, watermark - this.dropped));
    const json: string[] = [];
    let bytes = 0;
    for (let index = start; index < this.kept.length; index++) {
      bytes += bytesOf(this.kept[index]!);
      if (json.length > 0 && bytes > this.limits.pageBytes) break;
      json.push(this.kept[index]!);
    }
    return { json, watermark: this.dropped + start + json.length };
  }

  waitForActivitiesAfter(watermark: number, holdMs: number, cancelledBy: () => AbortSignal): Promise<void> {
    if (this.watermark > watermark) return Promise.resolve();
    const cancelled = cancelledBy();
    if (cancelled.aborted) return Promise.resolve();
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

  /** Adds one activity's JSON and drops the oldest until the history fits its budget (even the new one, if alone it does not). */
  private keep(json: string): void {
    this.kept.push(json);
    this.keptBytes += bytesOf(json);
    while (this.keptBytes > this.limits.conversationBytes) {
      this.keptBytes -= bytesOf(this.kept.shift()!);
      this.dropped++;
    }
  }
}

export class ConversationStore implements DirectLineStore {
  /** In order of last activity, least recent first (touching a conversation moves it to the end). */
  private readonly conversations = new Map<string, Conversation>();

  constructor(private readonly limits: ConversationLimits = DEFAULT_CONVERSATION_LIMITS) {}

  get size(): number {
    return this.conversations.size;
  }

  /** Memory the activities of every conversation take; never more than maxConversations x conversationBytes. */
  get bytes(): number {
    let total = 0;
    for (const conversation of this.conversations.values()) total += conversation.bytes;
    return total;
  }

  /** A token lasts as long as its conversation: until the conversation has been idle for `idleMs`. */
  get tokenLifetimeSeconds(): number {
    return Math.round(this.limits.idleMs / 1000);
  }

  /** A new conversation, or undefined when the store is full of conversations that are still in use. */
  create(user: ChannelAccount): Conversation | undefined {
    this.forgetIdle();
    if (this.conversations.size >= this.limits.maxConversations && !this.forgetLeastRecentlyActive()) return undefined;
    const conversation = new Conversation(user, this.limits);
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

  /** Forgets the least recently active conversation if it has been idle for evictableAfterMs; whether it did. */
  private forgetLeastRecentlyActive(): boolean {
    const [oldest] = this.conversations.values();
    if (!oldest || oldest.lastActiveAt > Date.now() - this.limits.evictableAfterMs) return false;
    this.forget(oldest);
    return true;
  }

  private forget(conversation: Conversation): void {
    this.conversations.delete(conversation.id);
    conversation.wakeHeldPolls();
  }
}
