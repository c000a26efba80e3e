/**
 * Where the review log keeps its entries: a JSON Lines file (REVIEW_LOG=<path>) or the shared Redis
 * (REVIEW_LOG=redis). Both keep at most `maxEntries`, the newest, and none older than
 * `retentionDays`.
 */
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import { RedisScript, redisClient, type RedisClient } from '../shared/redis.js';
import type { Logger } from 'pino';
import type { Engine } from '../../engine/engine.js';
import type { ReviewDestination, ReviewSettings } from '../shared/settings.js';
import { ReviewLog, type ReviewEntry, type ReviewSink } from './reviewLog.js';

export interface ReviewBounds {
  maxEntries: number;
  retentionDays: number;
}

const DAY_MS = 86_400_000;
const REDIS_KEY = 'review:entries';

/** Entries of a day after this one are within the retention period. */
function cutoffDay(retentionDays: number, now = Date.now()): string {
  return new Date(now - retentionDays * DAY_MS).toISOString().slice(0, 10);
}

function kept(entries: ReviewEntry[], { maxEntries, retentionDays }: ReviewBounds): ReviewEntry[] {
  const cutoff = cutoffDay(retentionDays);
  return entries.filter((entry) => entry.day > cutoff).slice(-maxEntries);
}

/**
 * Appends a line per entry; the file is rewritten with only the entries kept on the first entry of
 * each day and whenever it has grown a tenth past `maxEntries`, so it never holds more than that.
 */
export class FileReviewSink implements ReviewSink {
  private lines?: number;
  private lastDay?: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly bounds: ReviewBounds,
  ) {}

  append(entry: ReviewEntry): Promise<void> {
    const appended = this.queue.then(() => this.appendNow(entry));
    this.queue = appended.catch(() => undefined);
    return appended;
  }

  async entries(): Promise<ReviewEntry[]> {
    await this.queue;
    return kept(await this.readAll(), this.bounds);
  }

  close(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private async appendNow(entry: ReviewEntry): Promise<void> {
    const slack = Math.ceil(this.bounds.maxEntries / 10);
    if (this.lines === undefined || this.lines >= this.bounds.maxEntries + slack || entry.day !== this.lastDay) await this.compact();
    await appendFile(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    this.lines = this.lines! + 1;
    this.lastDay = entry.day;
  }

  private async compact(): Promise<void> {
    const entries = kept(await this.readAll(), this.bounds);
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''), { mode: 0o600 });
    await rename(temporary, this.path);
    this.lines = entries.length;
  }

  private async readAll(): Promise<ReviewEntry[]> {
    const text = await readFile(this.path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as ReviewEntry);
  }
}

/** KEYS[1]: the list, newest first. ARGV: the entry, maxEntries, the cutoff day. Pushes, trims, drops entries past retention. */
const PUSH_BOUNDED = new RedisScript(`
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
while true do
  local oldest = redis.call('LINDEX', KEYS[1], -1)
  if not oldest or cjson.decode(oldest).day > ARGV[3] then break end
  redis.call('RPOP', KEYS[1])
end
`);

export class RedisReviewSink implements ReviewSink {
  constructor(
    private readonly client: RedisClient,
    private readonly bounds: ReviewBounds,
  ) {}

  async append(entry: ReviewEntry): Promise<void> {
    await PUSH_BOUNDED.run(this.client, [REDIS_KEY], [JSON.stringify(entry), this.bounds.maxEntries, cutoffDay(this.bounds.retentionDays)]);
  }

  async entries(): Promise<ReviewEntry[]> {
    const newestFirst = await this.client.lRange(REDIS_KEY, 0, -1);
    return kept(
      newestFirst.reverse().map((json) => JSON.parse(json) as ReviewEntry),
      this.bounds,
    );
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** The review log REVIEW_LOG asks for, if any; with "redis", on a connection of its own (made in the background: Redis may be down). */
export function reviewLogFrom(review: ReviewSettings, engine: Engine, logger: Logger): ReviewLog | undefined {
  if (!review.log) return undefined;
  return new ReviewLog(
    engine,
    reviewSinkFrom(review.log, review, (client) => void client.connect().catch(() => undefined)),
    review.confidenceBelow,
    logger,
  );
}

/** The sink REVIEW_LOG names; `connect` connects the Redis client, if one is needed. */
export function reviewSinkFrom(destination: ReviewDestination, bounds: ReviewBounds, connect: (client: RedisClient) => void): ReviewSink {
  if ('file' in destination) return new FileReviewSink(destination.file, bounds);
  const client = redisClient(destination.redisUrl);
  client.on('error', () => undefined);
  connect(client);
  return new RedisReviewSink(client, bounds);
}
