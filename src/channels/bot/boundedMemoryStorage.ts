/**
 * botbuilder's MemoryStorage with a capacity: writing an item beyond it forgets the item written
 * least recently. Kept unbounded, a public bot's conversations would grow the server's memory for
 * as long as it runs; a forgotten conversation only loses its follow-up context.
 */
import { MemoryStorage, type StoreItems } from 'botbuilder';

export class BoundedMemoryStorage extends MemoryStorage {
  /** The stored keys, least recently written first. */
  private readonly byLastWrite = new Map<string, true>();

  constructor(private readonly capacity: number) {
    super();
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  override async write(changes: StoreItems): Promise<void> {
    await super.write(changes);
    for (const key of Object.keys(changes)) {
      this.byLastWrite.delete(key);
      this.byLastWrite.set(key, true);
    }
    for (const key of this.byLastWrite.keys()) {
      if (this.byLastWrite.size <= this.capacity) break;
      this.forget(key);
    }
  }

  override async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.forget(key);
  }

  private forget(key: string): void {
    this.byLastWrite.delete(key);
    delete this.memory[key];
  }
}
