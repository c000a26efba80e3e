/**
 * A botbuilder Storage on Redis, shared by every instance of the bot. eTags work as botbuilder's
 * MemoryStorage's do: an item written with "*" or no eTag overwrites, one with another eTag must match
 * the stored one, or the whole write fails and nothing is written (checked and written in one Lua
 * script, so two instances cannot both win). Every item expires `ttlMs` after its last write: the
 * memory bound of a store that every conversation ever held would otherwise grow.
 */
import { randomUUID } from 'node:crypto';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';
import { RedisScript, type RedisClient } from '../shared/redis.js';

const KEY_PREFIX = 'state:';

/** KEYS: the items; ARGV[1]: time to live (ms), then per item its expected eTag ('' or '*': none) and its JSON. */
const WRITE_IF_UNCHANGED = new RedisScript(`
for i, key in ipairs(KEYS) do
  local expected = ARGV[2 * i]
  if expected ~= '' and expected ~= '*' then
    local stored = redis.call('GET', key)
    if stored and cjson.decode(stored).eTag ~= expected then return key end
  end
end
for i, key in ipairs(KEYS) do redis.call('SET', key, ARGV[2 * i + 1], 'PX', ARGV[1]) end
return false
`);

export class ETagConflictError extends Error {}

export class RedisStorage implements Storage {
  constructor(
    private readonly client: RedisClient,
    private readonly ttlMs: number,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const values = await this.client.mGet(keys.map(redisKey));
    const found: StoreItems = {};
    keys.forEach((key, index) => {
      const json = values[index];
      if (json) found[key] = JSON.parse(json) as StoreItem;
    });
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries<StoreItem>(changes);
    if (entries.length === 0) return;
    // The bot's ConversationState always writes with "*": nothing to check, so no script to run.
    if (entries.every(([, item]) => isUnconditional(item))) return this.overwrite(entries);
    const args = entries.flatMap(([, item]) => [expectedETagOf(item), JSON.stringify({ ...item, eTag: randomUUID() })]);
    const conflict = await WRITE_IF_UNCHANGED.run(
      this.client,
      entries.map(([key]) => redisKey(key)),
      [this.ttlMs, ...args],
    );
    if (typeof conflict === 'string') throw new ETagConflictError(`Storage: error writing "${conflict.slice(KEY_PREFIX.length)}" due to eTag conflict.`);
  }

  private async overwrite(entries: [string, StoreItem][]): Promise<void> {
    const writes = this.client.multi();
    for (const [key, item] of entries) writes.set(redisKey(key), JSON.stringify({ ...item, eTag: randomUUID() }), { PX: this.ttlMs });
    await writes.exec();
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.client.del(keys.map(redisKey));
  }
}

function redisKey(key: string): string {
  return KEY_PREFIX + key;
}

function expectedETagOf(item: StoreItem): string {
  return typeof item.eTag === 'string' ? item.eTag : '';
}

function isUnconditional(item: StoreItem): boolean {
  const eTag = expectedETagOf(item);
  return eTag === '' || eTag === '*';
}
