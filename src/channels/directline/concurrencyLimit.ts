/** At most `max` things at once per key (held polls per client address, per conversation); 0: no limit. */
export class ConcurrencyLimit {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a place for `key`, or answers false when it has `max` already. */
  tryEnter(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (this.max > 0 && count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  leave(key: string): void {
    const count = (this.counts.get(key) ?? 1) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}
