/**
 * Where the server keeps what outlives a request: conversation state, the local Direct Line's
 * conversations, and the limits' counters. In this process unless REDIS_URL is set; then in Redis,
 * shared by every instance and kept across restarts.
 */
import { MemoryStorage, type Storage } from 'botbuilder';
import type { Logger } from 'pino';
import { BoundedMemoryStorage } from '../bot/boundedMemoryStorage.js';
import { ConversationStore, type ConversationLimits, type DirectLineStore } from '../directline/conversations.js';
import { RateLimiter, type Limiter } from '../shared/rateLimiter.js';
import { connectRedis, type Health } from '../shared/redis.js';
import type { StateSettings } from '../shared/settings.js';
import { FailSoftStorage } from './failSoftStorage.js';
import { RedisConversationStore } from './redisConversations.js';
import { RedisRateLimiter } from './redisRateLimiter.js';
import { RedisStorage } from './redisStorage.js';

export interface SharedState {
  /** Conversation state (follow-up context); when Redis is down, the bot answers without it. */
  storage: Storage;
  /** A limit of `perMinute` per key; limits with other names count apart. */
  limiter(name: string, perMinute: number): Limiter;
  directLineStore(limits: ConversationLimits): DirectLineStore;
  health(): Health;
  close(): Promise<void>;
}

export function sharedStateFrom(settings: StateSettings, logger: Logger): SharedState {
  return settings.redisUrl ? redisState(settings.redisUrl, settings, logger) : memoryState(settings);
}

function memoryState({ conversationsInMemory }: StateSettings): SharedState {
  return {
    storage: conversationsInMemory > 0 ? new BoundedMemoryStorage(conversationsInMemory) : new MemoryStorage(),
    limiter: (_name, perMinute) => new RateLimiter(perMinute),
    directLineStore: (limits) => new ConversationStore(limits),
    health: () => ({ ok: true }),
    close: () => Promise.resolve(),
  };
}

function redisState(url: string, { conversationTtlHours }: StateSettings, logger: Logger): SharedState {
  const redis = connectRedis(url, logger);
  return {
    storage: new FailSoftStorage(new RedisStorage(redis.client, conversationTtlHours * 3_600_000), logger),
    limiter: (name, perMinute) => new RedisRateLimiter(redis.client, name, perMinute),
    directLineStore: (limits) => new RedisConversationStore(redis.client, redis.subscriber, limits),
    health: () => redis.health(),
    close: () => redis.close(),
  };
}
