/**
 * A Storage in memory with a capacity: writing an item beyond it forgets the item written least
 * recently. Kept unbounded (botbuilder's MemoryStorage), a public bot's conversations would grow the
 * server's memory for as long as it runs; a forgotten conversation only loses its follow-up context.
 * Items are kept as JSON, as MemoryStorage keeps them, so a reader can never change what is stored,
 * and eTags work as MemoryStorage's do: "*" or none writes, another must match the stored one.
 */
import type { Storage, StoreItem, StoreItems } from 'botbuilder';

export class BoundedMemoryStorage implements Storage {
  /** Each key's item as JSON, least recently written first. */
  private readonly items = new Map<string, string>();
  private nextETag = 1;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  read(keys: string[]): Promise<StoreItems> {
    const found: StoreItems = {};
    for (const key of keys) {
      const json = this.items.get(key);
      if (json !== undefined) found[key] = JSON.parse(json) as StoreItem;
    }
    return Promise.resolve(found);
  }

  write(changes: StoreItems): Promise<void> {
    const entries = Object.entries<StoreItem>(changes);
    const conflict = entries.find(([key, item]) => this.conflicts(key, item));
    if (conflict) return Promise.reject(new Error(`Storage: error writing "${conflict[0]}" due to eTag conflict.`));
    for (const [key, item] of entries) this.store(key, item);
    return Promise.resolve();
  }

  delete(keys: string[]): Promise<void> {
    for (const key of keys) this.items.delete(key);
    return Promise.resolve();
  }

  private conflicts(key: string, item: StoreItem): boolean {
    const stored = this.items.get(key);
    if (stored === undefined || !item.eTag || item.eTag === '*') return false;
    return (JSON.parse(stored) as StoreItem).eTag !== item.eTag;
  }

  private store(key: string, item: StoreItem): void {
    this.items.delete(key);
    this.items.set(key, JSON.stringify({ ...item, eTag: String(this.nextETag++) }));
    if (this.items.size > this.capacity) this.items.delete(this.items.keys().next().value!);
  }
}
