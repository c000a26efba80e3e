/** Settings of the channels (HTTP server, bot), read from the environment; see .env.example. */
import { positiveInteger } from '../../content/settings.js';

export interface ChannelSettings {
  /** Largest request body accepted, in bytes (413 beyond). */
  maxBodyBytes: number;
  /** Requests per client address and messages per conversation, per minute; 0 turns the limits off. */
  rateLimitPerMinute: number;
  /** Whether the per-turn log line includes what the user typed. */
  logQuestions: boolean;
  /** Conversations whose follow-up context the in-memory store keeps (the least recently active go first); 0: no limit. */
  conversationsInMemory: number;
}

export function channelSettingsFrom(env: NodeJS.ProcessEnv): ChannelSettings {
  return {
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES', 64 * 1024),
    rateLimitPerMinute: positiveInteger(env, 'RATE_LIMIT_PER_MINUTE', 30),
    logQuestions: env.LOG_QUESTIONS?.trim().toLowerCase() === 'true',
    conversationsInMemory: positiveInteger(env, 'CONVERSATIONS_IN_MEMORY', 100_000),
  };
}
