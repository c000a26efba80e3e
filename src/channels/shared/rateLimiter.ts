/**
 * A fixed-window limit per key (a client address, a conversation): at most `perMinute` events in
 * each minute. 0 turns it off. Memory stays bounded: keys of finished windows are dropped.
 */
export const WINDOW_MS = 60_000;
/** Past this many keys, finished windows are swept before a new key is added. */
const SWEEP_AT = 10_000;

export interface Verdict {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}

/** A limit per key, kept in this process (RateLimiter) or shared by every instance (RedisRateLimiter). */
export interface Limiter {
  take(key: string): Verdict | Promise<Verdict>;
}

export class RateLimiter implements Limiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): Verdict {
    if (this.perMinute === 0) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= WINDOW_MS) {
      if (!window && this.windows.size >= SWEEP_AT) this.sweep(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return { allowed: window.count <= this.perMinute, retryAfterSeconds: Math.ceil((window.start + WINDOW_MS - now) / 1000) };
  }

  /** The verdict `take` would give now, without counting an event. */
  peek(key: string): Verdict {
    const window = this.windows.get(key);
    const now = this.now();
    if (this.perMinute === 0 || !window || now - window.start >= WINDOW_MS) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: window.count < this.perMinute, retryAfterSeconds: Math.ceil((window.start + WINDOW_MS - now) / 1000) };
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= WINDOW_MS) this.windows.delete(key);
  }
}
