/**
 * The fixed-window limit of RateLimiter, counted in Redis so that every instance takes from the same
 * budget. While Redis is unreachable each instance counts on its own (`local`), as without Redis: a
 * limit that vanished with the store would be an open door, one that refused everything an outage.
 */
import { RateLimiter, WINDOW_MS, type Limiter, type Verdict } from '../shared/rateLimiter.js';
import { RedisScript, type RedisClient } from '../shared/redis.js';

/** KEYS[1]: the window's counter; ARGV[1]: the window (ms). Returns the count and the ms left. */
const COUNT_IN_WINDOW = new RedisScript(`
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }
`);

export class RedisRateLimiter implements Limiter {
  private readonly local: RateLimiter;

  constructor(
    private readonly client: RedisClient,
    /** Which limit this is: limits with other names count apart. */
    private readonly name: string,
    private readonly perMinute: number,
  ) {
    this.local = new RateLimiter(perMinute);
  }

  async take(key: string): Promise<Verdict> {
    if (this.perMinute === 0) return { allowed: true, retryAfterSeconds: 0 };
    try {
      const [count, msLeft] = (await COUNT_IN_WINDOW.run(this.client, [`limit:${this.name}:${key}`], [WINDOW_MS])) as [number, number];
      return { allowed: count <= this.perMinute, retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
    } catch {
      return this.local.take(key);
    }
  }
}
