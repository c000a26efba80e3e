/**
 * A Storage that keeps the bot answering while the shared store is unreachable: a read that fails
 * finds nothing (the turn goes on without follow-up context) and a write that fails is skipped, both
 * logged. An eTag conflict is not a failure of the store, and still fails the write.
 */
import type { Storage, StoreItems } from 'botbuilder';
import type { Logger } from 'pino';
import { ETagConflictError } from './redisStorage.js';

export class FailSoftStorage implements Storage {
  constructor(
    private readonly inner: Storage,
    private readonly logger: Logger,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    try {
      return await this.inner.read(keys);
    } catch (error) {
      this.logger.warn({ err: messageOf(error) }, 'conversation state unreachable: answering without follow-up context');
      return {};
    }
  }

  async write(changes: StoreItems): Promise<void> {
    try {
      await this.inner.write(changes);
    } catch (error) {
      if (error instanceof ETagConflictError) throw error;
      this.logger.warn({ err: messageOf(error) }, 'conversation state unreachable: follow-up context not kept');
    }
  }

  async delete(keys: string[]): Promise<void> {
    try {
      await this.inner.delete(keys);
    } catch (error) {
      this.logger.warn({ err: messageOf(error) }, 'conversation state unreachable: context not deleted');
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
