/** A private redis-server for a test file, and clients of it that the file closes. */
import { afterAll, beforeAll } from 'vitest';
import { createClient } from 'redis';
import { RedisServer } from '../../scripts/redisServer.js';
import type { RedisClient } from '../../src/channels/shared/redis.js';

/** Starts redis-server before the file's tests and kills it after; `redis()` is the running server. */
export function useRedisServer(): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.kill();
  });
  return () => server!;
}

export async function connectedClient(url: string): Promise<RedisClient> {
  const client = createClient({ url });
  await client.connect();
  return client;
}
