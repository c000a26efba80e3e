/**
 * botbuilder's Storage behaviour (its StorageBaseTests: read, write, eTag conflict, "*", delete,
 * batch), one suite run over botbuilder's MemoryStorage, the bounded in-memory store and the Redis
 * store against a real redis-server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStorage, type Storage, type StoreItem } from 'botbuilder';
import { BoundedMemoryStorage } from '../../src/channels/bot/boundedMemoryStorage.js';
import type { RedisClient } from '../../src/channels/shared/redis.js';
import { RedisStorage } from '../../src/channels/state/redisStorage.js';
import { connectedClient, useRedisServer } from './redisSupport.js';

const redisServer = useRedisServer();
let client: RedisClient;
beforeAll(async () => {
  client = await connectedClient(redisServer().url);
});
afterAll(async () => {
  await client.close();
});

const stores: [string, () => Storage][] = [
  ['MemoryStorage (botbuilder)', () => new MemoryStorage()],
  ['BoundedMemoryStorage', () => new BoundedMemoryStorage(1000)],
  ['RedisStorage', () => new RedisStorage(client, 60_000)],
];

let keyNumber = 0;
/** A key no other test used: the Redis store is shared by the whole file. */
const freshKey = (name: string) => `${name}-${++keyNumber}`;

describe.each(stores)('Storage conformance: %s', (_name, createStore) => {
  it('reads nothing for unknown keys, and nothing for no keys', async () => {
    const storage = createStore();
    expect(await storage.read([freshKey('unknown')])).toEqual({});
    expect(await storage.read([])).toEqual({});
  });

  it('writes a new item and reads it back with an eTag, with keys of any characters', async () => {
    const storage = createStore();
    const key = freshKey('!@#$%^&*()~/\\><,.?\';"`~ conversations/emulator|1');
    await storage.write({ [key]: { topic: 'dosage', count: 1, nested: { list: [1, 'two'] } } });
    const item = (await storage.read([key]))[key] as StoreItem | undefined;
    expect(item).toMatchObject({ topic: 'dosage', count: 1, nested: { list: [1, 'two'] } });
    expect(item!.eTag).toEqual(expect.any(String));
    expect(item!.eTag).not.toBe('*');
  });

  it('updates with the stored eTag, and gives the item a new one', async () => {
    const storage = createStore();
    const key = freshKey('update');
    await storage.write({ [key]: { n: 1 } });
    const first = (await storage.read([key]))[key] as StoreItem;
    await storage.write({ [key]: { ...first, n: 2 } });
    const second = (await storage.read([key]))[key] as StoreItem;
    expect(second.n).toBe(2);
    expect(second.eTag).not.toBe(first.eTag);
  });

  it('refuses a write with an eTag that is no longer the stored one, and keeps the stored item', async () => {
    const storage = createStore();
    const key = freshKey('conflict');
    await storage.write({ [key]: { n: 1 } });
    const stale = (await storage.read([key]))[key] as StoreItem;
    await storage.write({ [key]: { ...stale, n: 2 } });
    await expect(storage.write({ [key]: { ...stale, n: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read([key]))[key]).toMatchObject({ n: 2 });
  });

  it('overwrites whatever is stored with eTag "*", and with no eTag', async () => {
    const storage = createStore();
    const key = freshKey('star');
    await storage.write({ [key]: { n: 1 } });
    await storage.write({ [key]: { n: 2, eTag: '*' } });
    expect((await storage.read([key]))[key]).toMatchObject({ n: 2 });
    await storage.write({ [key]: { n: 3 } });
    expect((await storage.read([key]))[key]).toMatchObject({ n: 3 });
  });

  it('deletes an item, and deleting an unknown key is no error', async () => {
    const storage = createStore();
    const key = freshKey('delete');
    await storage.write({ [key]: { n: 1 } });
    await storage.delete([key]);
    expect(await storage.read([key])).toEqual({});
    await expect(storage.delete([freshKey('never-written')])).resolves.toBeUndefined();
  });

  it('reads, writes and deletes in batches', async () => {
    const storage = createStore();
    const [a, b, c] = [freshKey('batch-a'), freshKey('batch-b'), freshKey('batch-c')];
    await storage.write({ [a]: { n: 1 }, [b]: { n: 2 }, [c]: { n: 3 } });
    const read = await storage.read([a, b, c, freshKey('batch-missing')]);
    expect(Object.keys(read).sort()).toEqual([a, b, c].sort());
    expect(read).toMatchObject({ [a]: { n: 1 }, [b]: { n: 2 }, [c]: { n: 3 } });
    await storage.delete([a, c]);
    expect(Object.keys(await storage.read([a, b, c]))).toEqual([b]);
  });

  it('hands out copies: changing an item read does not change what is stored', async () => {
    const storage = createStore();
    const key = freshKey('copy');
    await storage.write({ [key]: { list: [1] } });
    const item = (await storage.read([key]))[key] as StoreItem;
    (item.list as number[]).push(2);
    expect((await storage.read([key]))[key]).toMatchObject({ list: [1] });
  });
});

describe('RedisStorage', () => {
  it('writes none of a batch in which one item conflicts (checked and written in one script)', async () => {
    const storage = new RedisStorage(client, 60_000);
    const [a, b] = [freshKey('atomic-a'), freshKey('atomic-b')];
    await storage.write({ [a]: { n: 1 }, [b]: { n: 2 } });
    const staleB = (await storage.read([b]))[b] as StoreItem;
    await storage.write({ [b]: { ...staleB, n: 20 } });
    await expect(storage.write({ [a]: { n: 10, eTag: '*' }, [b]: { ...staleB, n: 21 } })).rejects.toThrow(/eTag conflict/);
    expect(await storage.read([a, b])).toMatchObject({ [a]: { n: 1 }, [b]: { n: 20 } });
  });

  it('lets one of two writers holding the same eTag win, the other conflicts', async () => {
    const [first, second] = [new RedisStorage(client, 60_000), new RedisStorage(client, 60_000)];
    const key = freshKey('race');
    await first.write({ [key]: { n: 0 } });
    const loaded = (await first.read([key]))[key] as StoreItem;
    const outcomes = await Promise.allSettled([first.write({ [key]: { ...loaded, n: 1 } }), second.write({ [key]: { ...loaded, n: 2 } })]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('keeps an item for its time to live after the last write', async () => {
    const storage = new RedisStorage(client, 3_600_000);
    const key = freshKey('ttl');
    await storage.write({ [key]: { n: 1 } });
    const ttl = await client.pTTL(`state:${key}`);
    expect(ttl).toBeGreaterThan(3_500_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });
});
