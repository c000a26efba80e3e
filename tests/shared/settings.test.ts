import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { channelSettingsFrom } from '../../src/channels/shared/channelSettings.js';
import { createLogger } from '../../src/channels/shared/logger.js';
import { RateLimiter } from '../../src/channels/shared/rateLimiter.js';

describe('channelSettingsFrom', () => {
  it('defaults to a 64 KB body, 30 requests a minute, no questions in the log and 100,000 conversations in memory', () => {
    expect(channelSettingsFrom({})).toMatchObject({ maxBodyBytes: 65_536, rateLimitPerMinute: 30, logQuestions: false, conversationsInMemory: 100_000 });
  });

  it('reads MAX_BODY_BYTES, RATE_LIMIT_PER_MINUTE (0 turns the limits off), LOG_QUESTIONS and CONVERSATIONS_IN_MEMORY', () => {
    const env = { MAX_BODY_BYTES: '1000', RATE_LIMIT_PER_MINUTE: '0', LOG_QUESTIONS: 'TRUE', CONVERSATIONS_IN_MEMORY: '50' };
    expect(channelSettingsFrom(env)).toMatchObject({ maxBodyBytes: 1000, rateLimitPerMinute: 0, logQuestions: true, conversationsInMemory: 50 });
    expect(() => channelSettingsFrom({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE must be a whole number/);
    expect(() => channelSettingsFrom({ CONVERSATIONS_IN_MEMORY: '-1' })).toThrow(/CONVERSATIONS_IN_MEMORY must be a whole number/);
  });
});

describe('the shared state and review log settings', () => {
  it('default to no Redis, state kept 24 hours in it, no review log, 10,000 entries for 30 days, low confidence below 0.5', () => {
    expect(channelSettingsFrom({})).toMatchObject({
      redisUrl: undefined,
      conversationTtlHours: 24,
      reviewLog: undefined,
      reviewMaxEntries: 10_000,
      reviewRetentionDays: 30,
      reviewConfidenceBelow: 0.5,
    });
  });

  it('reads REDIS_URL, CONVERSATION_TTL_HOURS and the REVIEW_ settings, and refuses values that make no sense', () => {
    const env = { REDIS_URL: ' redis://127.0.0.1:6400 ', CONVERSATION_TTL_HOURS: '2', REVIEW_LOG: 'redis', REVIEW_MAX_ENTRIES: '50', REVIEW_RETENTION_DAYS: '7', REVIEW_CONFIDENCE_BELOW: '0.8' };
    expect(channelSettingsFrom(env)).toMatchObject({ redisUrl: 'redis://127.0.0.1:6400', conversationTtlHours: 2, reviewLog: 'redis', reviewMaxEntries: 50, reviewRetentionDays: 7, reviewConfidenceBelow: 0.8 });
    expect(() => channelSettingsFrom({ CONVERSATION_TTL_HOURS: '0' })).toThrow(/CONVERSATION_TTL_HOURS must be at least 1/);
    expect(() => channelSettingsFrom({ REVIEW_CONFIDENCE_BELOW: '2' })).toThrow(/REVIEW_CONFIDENCE_BELOW must be a number from 0 to 1/);
  });
});

describe('the local Direct Line settings', () => {
  const names = ['DIRECTLINE_MAX_CONVERSATIONS', 'DIRECTLINE_CONVERSATION_BYTES', 'DIRECTLINE_CONVERSATIONS_PER_MINUTE', 'DIRECTLINE_POLLS_PER_CLIENT', 'DIRECTLINE_POLLS_PER_CONVERSATION'];

  it('default to 1,000 conversations of 64 KB, 100 started a minute, 20 polls held per client and 2 per conversation', () => {
    expect(channelSettingsFrom({})).toMatchObject({
      directLineMaxConversations: 1000,
      directLineConversationBytes: 65_536,
      directLineConversationsPerMinute: 100,
      directLinePollsPerClient: 20,
      directLinePollsPerConversation: 2,
    });
  });

  it('are read from the environment; the store sizes must be at least 1, the limits may be 0 (off)', () => {
    const env = Object.fromEntries(names.map((name, i) => [name, String(i + 1)]));
    expect(channelSettingsFrom(env)).toMatchObject({
      directLineMaxConversations: 1,
      directLineConversationBytes: 2,
      directLineConversationsPerMinute: 3,
      directLinePollsPerClient: 4,
      directLinePollsPerConversation: 5,
    });
    expect(() => channelSettingsFrom({ DIRECTLINE_MAX_CONVERSATIONS: '0' })).toThrow(/DIRECTLINE_MAX_CONVERSATIONS must be at least 1/);
    expect(() => channelSettingsFrom({ DIRECTLINE_CONVERSATION_BYTES: 'big' })).toThrow(/DIRECTLINE_CONVERSATION_BYTES must be a whole number/);
    expect(channelSettingsFrom({ DIRECTLINE_POLLS_PER_CLIENT: '0' }).directLinePollsPerClient).toBe(0);
  });
});

describe('createLogger', () => {
  it('logs JSON lines at LOG_LEVEL with credentials and tokens redacted', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger({ LOG_LEVEL: 'warn' }, destination);
    logger.info('not at this level');
    logger.warn({ req: { headers: { authorization: 'Bearer secret-token' } }, MicrosoftAppPassword: 'secret-password', token: 'secret-dl-token' }, 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({ req: { headers: { authorization: '[redacted]' } }, MicrosoftAppPassword: '[redacted]', token: '[redacted]' });
  });
});

describe('RateLimiter', () => {
  it('allows perMinute events per key in each minute, with the seconds left until the window resets', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take('a'), limiter.take('a')].map((verdict) => verdict.allowed)).toEqual([true, true]);
    now = 15_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take('b').allowed).toBe(true);
    now = 60_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('is off at 0 per minute', () => {
    const limiter = new RateLimiter(0);
    expect(Array.from({ length: 1000 }, () => limiter.take('a').allowed).every(Boolean)).toBe(true);
  });
});
