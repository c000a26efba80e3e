/**
 * The connection to the shared Redis (REDIS_URL): one client for commands and one for the Direct
 * Line's wake-ups (a subscribed connection can run nothing else). Commands fail at once while Redis
 * is unreachable (no offline queue: a request must not hang waiting for it), the clients reconnect
 * by themselves, and `health()` says whether Redis can be used now and, if not, why.
 */
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import type { Logger } from 'pino';

export type RedisClient = ReturnType<typeof redisClient>;

/** Longest wait between two reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 1000;
const CONNECT_TIMEOUT_MS = 2000;

export interface Health {
  ok: boolean;
  /** Why the server is degraded, when it is. */
  reason?: string;
}

export interface SharedRedis {
  client: RedisClient;
  subscriber: RedisClient;
  health(): Health;
  close(): Promise<void>;
}

/** Connects to `url` in the background: the server starts (degraded) even while Redis is down. */
export function connectRedis(url: string, logger: Logger): SharedRedis {
  const client = redisClient(url);
  const subscriber = client.duplicate();
  let lastError = 'not connected yet';
  for (const [name, connection] of [
    ['commands', client],
    ['subscriber', subscriber],
  ] as const) {
    connection.on('error', (error: Error) => {
      if (lastError !== error.message) logger.warn({ connection: name, err: error.message }, 'redis: connection failed, retrying');
      lastError = error.message;
    });
    connection.on('ready', () => logger.info({ connection: name }, 'redis: connected'));
    connection.connect().catch(() => undefined);
  }
  return {
    client,
    subscriber,
    health: () => (client.isReady && subscriber.isReady ? { ok: true } : { ok: false, reason: `redis unreachable: ${lastError}` }),
    close: async () => {
      // A client waiting to reconnect would wait for Redis to come back before closing: destroyed instead.
      await Promise.all(
        [client, subscriber].map(async (connection) => {
          if (connection.isReady) await connection.close();
          else connection.destroy();
        }),
      );
    },
  };
}

/** A client that fails commands at once while disconnected, and reconnects by itself. */
export function redisClient(url: string) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: CONNECT_TIMEOUT_MS, reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, MAX_RECONNECT_DELAY_MS) },
  });
}

/** A Lua script run by its SHA-1 (loaded on first use, and again after Redis restarts empty). */
export class RedisScript {
  private readonly sha: string;

  constructor(private readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: string[], args: (string | number)[]): Promise<unknown> {
    const options = { keys, arguments: args.map(String) };
    try {
      return await client.evalSha(this.sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, options);
    }
  }
}
