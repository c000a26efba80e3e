/**
 * The local Direct Line's conversations in Redis, so that any instance can answer any conversation's
 * requests, and a restarted one loses none. The budgets are those of the in-memory store
 * (src/channels/directline/conversations.ts), kept by Lua scripts so that instances never race:
 * at most `maxConversations` (a sorted set of ids by last activity), a full store forgetting only one
 * idle for `evictableAfterMs`, each history the newest activities whose JSON fits in
 * `conversationBytes` (two bytes a character, as there), a poll at most `pageBytes`, and every key
 * expiring after `idleMs` without a request. Held polls wake through a pub/sub channel that carries
 * the id of each conversation that got activities. Scripts name keys of other conversations when one
 * is forgotten to make room: this needs one Redis server, not a cluster.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Activity, ChannelAccount } from 'botbuilder';
import { StoreUnavailableError, type ActivityPage, type ConversationLimits, type DirectLineConversation, type DirectLineStore } from '../directline/conversations.js';
import { RedisScript, type RedisClient } from '../shared/redis.js';

const ACTIVE = 'dl:active';
const WAKE_CHANNEL = 'dl:wake';
const conversationKey = (id: string) => `dl:conversation:${id}`;
const historyKey = (id: string) => `dl:history:${id}`;
const tokenKey = (token: string) => `dl:token:${token}`;

/**
 * Lua: the score that marks a conversation most recently active, `now`, or just after the newest one
 * if that is not older (two requests in the same millisecond keep their order, as in the memory store).
 */
const MOST_RECENT_SCORE = `
local function mostRecentScore(active, now)
  local newest = redis.call('ZREVRANGE', active, 0, 0, 'WITHSCORES')
  if newest[2] and tonumber(newest[2]) >= now then return tonumber(newest[2]) + 0.001 end
  return now
end
`;

/** KEYS: active set, the new conversation, its token. ARGV: now, idleMs, evictableAfterMs, max, id, token, user JSON. 0 when full. */
const CREATE = new RedisScript(`${MOST_RECENT_SCORE}
local now, idle, evictable, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - idle)
if redis.call('ZCARD', KEYS[1]) >= max then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if tonumber(oldest[2]) > now - evictable then return 0 end
  local id = oldest[1]
  local token = redis.call('HGET', '${conversationKey('')}' .. id, 'token')
  if token then redis.call('DEL', '${tokenKey('')}' .. token) end
  redis.call('DEL', '${conversationKey('')}' .. id, '${historyKey('')}' .. id)
  redis.call('ZREM', KEYS[1], id)
  redis.call('PUBLISH', '${WAKE_CHANNEL}', id)
end
redis.call('ZADD', KEYS[1], mostRecentScore(KEYS[1], now), ARGV[5])
redis.call('HSET', KEYS[2], 'token', ARGV[6], 'user', ARGV[7], 'started', 0, 'dropped', 0, 'bytes', 0)
redis.call('PEXPIRE', KEYS[2], idle)
redis.call('SET', KEYS[3], ARGV[5], 'PX', idle)
return 1
`);

/** KEYS: the conversation, its history, active set. ARGV: now, idleMs, id. Its token and user, marked active; nil if forgotten. */
const TOUCH = new RedisScript(`${MOST_RECENT_SCORE}
local fields = redis.call('HMGET', KEYS[1], 'token', 'user')
if not fields[1] then return false end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
redis.call('PEXPIRE', '${tokenKey('')}' .. fields[1], ARGV[2])
redis.call('ZADD', KEYS[3], mostRecentScore(KEYS[3], tonumber(ARGV[1])), ARGV[3])
return fields
`);

/** KEYS: the conversation. 1 the first time, 0 after. */
const CLAIM_START = new RedisScript(`
if redis.call('HGET', KEYS[1], 'started') ~= '0' then return 0 end
redis.call('HSET', KEYS[1], 'started', 1)
return 1
`);

/**
 * KEYS: the conversation, its history. ARGV: conversationBytes, id, idleMs, wake (1 or 0), then each
 * activity's JSON without an id. Gives each activity the next id, drops the oldest beyond the budget;
 * the first watermark, or -1 if the conversation was forgotten.
 */
const APPEND = new RedisScript(`
local dropped = tonumber(redis.call('HGET', KEYS[1], 'dropped'))
if not dropped then return -1 end
local budget, bytes = tonumber(ARGV[1]), tonumber(redis.call('HGET', KEYS[1], 'bytes'))
local first = dropped + redis.call('LLEN', KEYS[2])
for i = 5, #ARGV do
  local json = '{"id":"' .. ARGV[2] .. '|' .. string.format('%07d', first + i - 5) .. '",' .. string.sub(ARGV[i], 2)
  redis.call('RPUSH', KEYS[2], json)
  bytes = bytes + 2 * #json
  while bytes > budget do
    bytes = bytes - 2 * #redis.call('LPOP', KEYS[2])
    dropped = dropped + 1
  end
end
redis.call('HSET', KEYS[1], 'dropped', dropped, 'bytes', bytes)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if ARGV[4] == '1' then redis.call('PUBLISH', '${WAKE_CHANNEL}', ARGV[2]) end
return first
`);

/** KEYS: the conversation, its history. ARGV: watermark, pageBytes. The watermark after the page, then the page. */
const PAGE_AFTER = new RedisScript(`
local dropped = tonumber(redis.call('HGET', KEYS[1], 'dropped') or '0')
local length = redis.call('LLEN', KEYS[2])
local start = math.min(length, math.max(0, tonumber(ARGV[1]) - dropped))
local page, bytes = {}, 0
for _, json in ipairs(redis.call('LRANGE', KEYS[2], start, -1)) do
  bytes = bytes + 2 * #json
  if #page > 0 and bytes > tonumber(ARGV[2]) then break end
  page[#page + 1] = json
end
return { dropped + start + #page, page }
`);

/** KEYS: the conversation, its history. How many activities it has ever had. */
const WATERMARK = new RedisScript(`return tonumber(redis.call('HGET', KEYS[1], 'dropped') or '0') + redis.call('LLEN', KEYS[2])`);

/** Held polls of this instance, by conversation, woken by the pub/sub channel every instance publishes to. */
class WakeUps {
  private readonly sleepers = new Map<string, Set<() => void>>();

  constructor(subscriber: RedisClient) {
    subscriber.subscribe(WAKE_CHANNEL, (id) => this.wake(id)).catch(() => undefined);
    // Wake-ups published while the connection is down are lost: held polls answer now, and the client polls again.
    subscriber.on('error', () => this.wakeAll());
  }

  add(id: string, sleeper: () => void): void {
    const sleepers = this.sleepers.get(id) ?? new Set();
    sleepers.add(sleeper);
    this.sleepers.set(id, sleepers);
  }

  remove(id: string, sleeper: () => void): void {
    const sleepers = this.sleepers.get(id);
    sleepers?.delete(sleeper);
    if (sleepers?.size === 0) this.sleepers.delete(id);
  }

  wake(id: string): void {
    for (const sleeper of [...(this.sleepers.get(id) ?? [])]) sleeper();
  }

  private wakeAll(): void {
    for (const id of [...this.sleepers.keys()]) this.wake(id);
  }
}

/** Runs a Redis call, any failure of which means the store cannot be used now. */
async function reach<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new StoreUnavailableError(error instanceof Error ? error.message : String(error));
  }
}

class RedisConversation implements DirectLineConversation {
  private readonly keys: [string, string];

  constructor(
    readonly id: string,
    readonly token: string,
    readonly user: ChannelAccount,
    private readonly store: RedisConversationStore,
  ) {
    this.keys = [conversationKey(id), historyKey(id)];
  }

  acceptsToken(token: string): boolean {
    const expected = Buffer.from(this.token);
    const given = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async claimStart(): Promise<boolean> {
    return (await reach(() => CLAIM_START.run(this.store.client, [this.keys[0]], []))) === 1;
  }

  async append(activities: readonly Partial<Activity>[], { quietly = false } = {}): Promise<Activity[]> {
    if (activities.length === 0) return [];
    const { conversationBytes, idleMs } = this.store.limits;
    const jsons = activities.map((activity) => JSON.stringify({ ...activity, id: undefined }));
    const args = [conversationBytes, this.id, idleMs, quietly ? 0 : 1, ...jsons];
    const first = (await reach(() => APPEND.run(this.store.client, this.keys, args))) as number;
    if (first < 0) throw new StoreUnavailableError(`conversation ${this.id} was forgotten`);
    return activities.map((activity, index) => ({ ...activity, id: `${this.id}|${String(first + index).padStart(7, '0')}` }) as Activity);
  }

  async activitiesAfter(watermark: number): Promise<ActivityPage> {
    const [after, json] = (await reach(() => PAGE_AFTER.run(this.store.client, this.keys, [watermark, this.store.limits.pageBytes]))) as [number, string[]];
    return { json, watermark: after };
  }

  waitForActivitiesAfter(watermark: number, holdMs: number, cancelledBy: () => AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let cancelled: AbortSignal | undefined;
      const wake = (): void => {
        clearTimeout(timer);
        this.store.wakeUps.remove(this.id, wake);
        cancelled?.removeEventListener('abort', wake);
        resolve();
      };
      // Listening before the watermark is read, so that activities added in between are not missed.
      this.store.wakeUps.add(this.id, wake);
      const timer = setTimeout(wake, holdMs);
      WATERMARK.run(this.store.client, this.keys, []).then((current) => {
        if ((current as number) > watermark) return wake();
        cancelled = cancelledBy();
        if (cancelled.aborted) wake();
        else cancelled.addEventListener('abort', wake);
      }, wake);
    });
  }

  wakeHeldPolls(): void {
    this.store.client.publish(WAKE_CHANNEL, this.id).catch(() => this.store.wakeUps.wake(this.id));
  }

  /** Turns of a conversation run one after another within an instance; Web Chat posts one message at a time. */
  inTurn<T>(turn: () => Promise<T>): Promise<T> {
    return this.store.inTurn(this.id, turn);
  }
}

export class RedisConversationStore implements DirectLineStore {
  readonly wakeUps: WakeUps;
  private readonly turns = new Map<string, Promise<unknown>>();

  constructor(
    readonly client: RedisClient,
    subscriber: RedisClient,
    readonly limits: ConversationLimits,
  ) {
    this.wakeUps = new WakeUps(subscriber);
  }

  get tokenLifetimeSeconds(): number {
    return Math.round(this.limits.idleMs / 1000);
  }

  async create(user: ChannelAccount): Promise<DirectLineConversation | undefined> {
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const { idleMs, evictableAfterMs, maxConversations } = this.limits;
    const keys = [ACTIVE, conversationKey(id), tokenKey(token)];
    const created = await reach(() => CREATE.run(this.client, keys, [Date.now(), idleMs, evictableAfterMs, maxConversations, id, token, JSON.stringify(user)]));
    return created === 1 ? new RedisConversation(id, token, user, this) : undefined;
  }

  async find(id: string): Promise<DirectLineConversation | undefined> {
    const found = (await reach(() => TOUCH.run(this.client, [conversationKey(id), historyKey(id), ACTIVE], [Date.now(), this.limits.idleMs, id]))) as [string, string] | null;
    if (!found) return undefined;
    const [token, user] = found;
    return new RedisConversation(id, token, JSON.parse(user) as ChannelAccount, this);
  }

  async findByToken(token: string): Promise<DirectLineConversation | undefined> {
    const id = await reach(() => this.client.get(tokenKey(token)));
    const conversation = id === null ? undefined : await this.find(id);
    return conversation?.acceptsToken(token) ? conversation : undefined;
  }

  inTurn<T>(id: string, turn: () => Promise<T>): Promise<T> {
    const result = (this.turns.get(id) ?? Promise.resolve()).then(turn);
    const settled = result.catch(() => undefined);
    this.turns.set(id, settled);
    void settled.then(() => {
      if (this.turns.get(id) === settled) this.turns.delete(id);
    });
    return result;
  }
}
