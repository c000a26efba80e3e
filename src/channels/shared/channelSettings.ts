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
  /** The shared Redis (conversation state, the local Direct Line, the limits' counters); none: all in this process. */
  redisUrl?: string;
  /** How long Redis keeps a conversation's state after its last write, in hours. */
  conversationTtlHours: number;
  /** The unanswered-question review log: a JSON Lines path, or "redis"; none: off. */
  reviewLog?: string;
  /** The most entries the review log keeps (the newest). */
  reviewMaxEntries: number;
  /** How many days the review log keeps an entry. */
  reviewRetentionDays: number;
  /** An answer with less confidence than this is reviewed as low-confidence. */
  reviewConfidenceBelow: number;
  /** How long a call to a channel's service (the bot's replies) may take before it is given up, in milliseconds. */
  connectorTimeoutMs: number;
  /** Local Direct Line: conversations kept at once; a full store refuses new ones (503) rather than forget one in use. */
  directLineMaxConversations: number;
  /** Local Direct Line: bytes of memory each conversation's history may take (the oldest activities go first). */
  directLineConversationBytes: number;
  /** Local Direct Line: conversations started per minute, from all clients together (429 beyond); 0: no limit. */
  directLineConversationsPerMinute: number;
  /** Local Direct Line: polls held at once per client address (429 beyond); 0: no limit. */
  directLinePollsPerClient: number;
  /** Local Direct Line: polls held at once per conversation (429 beyond); 0: no limit. */
  directLinePollsPerConversation: number;
}

export function channelSettingsFrom(env: NodeJS.ProcessEnv): ChannelSettings {
  return {
    maxBodyBytes: positiveInteger(env, 'MAX_BODY_BYTES', 64 * 1024),
    rateLimitPerMinute: positiveInteger(env, 'RATE_LIMIT_PER_MINUTE', 30),
    logQuestions: env.LOG_QUESTIONS?.trim().toLowerCase() === 'true',
    conversationsInMemory: positiveInteger(env, 'CONVERSATIONS_IN_MEMORY', 100_000),
    redisUrl: env.REDIS_URL?.trim() || undefined,
    conversationTtlHours: atLeastOne(env, 'CONVERSATION_TTL_HOURS', 24),
    reviewLog: env.REVIEW_LOG?.trim() || undefined,
    reviewMaxEntries: atLeastOne(env, 'REVIEW_MAX_ENTRIES', 10_000),
    reviewRetentionDays: atLeastOne(env, 'REVIEW_RETENTION_DAYS', 30),
    reviewConfidenceBelow: fraction(env, 'REVIEW_CONFIDENCE_BELOW', 0.5),
    connectorTimeoutMs: atLeastOne(env, 'CONNECTOR_TIMEOUT_MS', 5000),
    directLineMaxConversations: atLeastOne(env, 'DIRECTLINE_MAX_CONVERSATIONS', 1000),
    directLineConversationBytes: atLeastOne(env, 'DIRECTLINE_CONVERSATION_BYTES', 64 * 1024),
    directLineConversationsPerMinute: positiveInteger(env, 'DIRECTLINE_CONVERSATIONS_PER_MINUTE', 100),
    directLinePollsPerClient: positiveInteger(env, 'DIRECTLINE_POLLS_PER_CLIENT', 20),
    directLinePollsPerConversation: positiveInteger(env, 'DIRECTLINE_POLLS_PER_CONVERSATION', 2),
  };
}

function atLeastOne(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positiveInteger(env, name, fallback);
  if (value === 0) throw new Error(`${name} must be at least 1`);
  return value;
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be a number from 0 to 1, got "${raw}"`);
  return value;
}
