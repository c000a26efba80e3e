/** The review log in the shared Redis (REVIEW_LOG=redis): bounded by entries and by age, read oldest first. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewEntry } from '../../src/channels/review/reviewLog.js';
import { RedisReviewSink } from '../../src/channels/review/sinks.js';
import type { RedisClient } from '../../src/channels/shared/redis.js';
import { connectedClient, useRedisServer } from '../state/redisSupport.js';

const redisServer = useRedisServer();
const today = new Date().toISOString().slice(0, 10);
const entry = (question: string, day = today): ReviewEntry => ({ day, kind: 'fallback', contentVersion: 'v', question });

describe('RedisReviewSink', () => {
  let client: RedisClient;
  beforeAll(async () => {
    client = await connectedClient(redisServer().url);
  });
  afterAll(() => client.close());

  it('keeps the newest maxEntries, oldest first, and drops entries past the retention period', async () => {
    await client.rPush('review:entries', [JSON.stringify(entry('old one', '2020-01-01'))]);
    const sink = new RedisReviewSink(client, { maxEntries: 5, retentionDays: 30 });
    await sink.append(entry('question 0'));
    expect(await client.lRange('review:entries', 0, -1)).toEqual([JSON.stringify(entry('question 0'))]);
    for (let n = 1; n < 12; n++) await sink.append(entry(`question ${n}`));
    expect(await client.lLen('review:entries')).toBe(5);
    expect((await sink.entries()).map((kept) => kept.question)).toEqual(['question 7', 'question 8', 'question 9', 'question 10', 'question 11']);
  });
});
