/**
 * Log lines that a client can cause as often as it likes (refused tokens, a library's console output),
 * at most `perMinute` of them: beyond, lines are counted, and the next one written says how many
 * were left out.
 */
import { RateLimiter } from './rateLimiter.js';

export class SampledLog {
  private readonly lines: RateLimiter;
  private suppressed = 0;

  constructor(perMinute: number) {
    this.lines = new RateLimiter(perMinute);
  }

  /** Writes the line (given how many were left out before it), or leaves it out. */
  write(line: (suppressed: number) => void): void {
    if (!this.lines.take('').allowed) {
      this.suppressed++;
      return;
    }
    line(this.suppressed);
    this.suppressed = 0;
  }
}
