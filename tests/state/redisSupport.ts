/** A private redis-server for a test file, and clients of it that the file closes. */
import { afterAll, beforeAll } from 'vitest';
import { RedisServer } from '../../scripts/redisServer.js';
import { redisClient, type RedisClient } from '../../src/channels/shared/redis.js';
import { startLocalChat, type LocalChatServer } from '../directline/support.js';

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
  const client = redisClient(url);
  await client.connect();
  return client;
}

/** An instance on the shared Redis, once it reports healthy (connected). */
export async function instance(redisUrl: string, env: Record<string, string> = {}): Promise<LocalChatServer> {
  const chat = await startLocalChat({ REDIS_URL: redisUrl, ...env }, { pollHoldMs: 10_000 });
  await untilHealth(chat.url, 'ok');
  return chat;
}

export async function untilHealth(url: string, status: string): Promise<Record<string, unknown>> {
  for (;;) {
    const body = (await (await fetch(`${url}/healthz`)).json()) as Record<string, unknown>;
    if (body.status === status) return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
