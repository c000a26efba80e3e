/** Where the server listens, and how it stops: stop accepting, let requests in flight (turns) finish. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Server } from 'restify';
import { positiveInteger } from '../../content/settings.js';
import { botCredentialsFrom } from '../bot/adapter.js';

const DEFAULT_PORT = 3978;

/**
 * PORT (default 3978) and HOST. Without MicrosoftAppId the bot runs anonymously and would post its
 * replies to any serviceUrl a caller names, so it listens on loopback only unless HOST says otherwise.
 */
export function listenAddress(env: NodeJS.ProcessEnv): { host: string; port: number } {
  const port = positiveInteger(env, 'PORT', DEFAULT_PORT);
  const host = env.HOST?.trim() || (botCredentialsFrom(env).MicrosoftAppId ? '0.0.0.0' : '127.0.0.1');
  return { host, port };
}

export type CloseOutcome = 'drained' | 'timed out';

/** How often idle keep-alive connections are closed while draining: otherwise they hold the close up until they time out. */
const IDLE_SWEEP_MS = 50;

/** Stops accepting connections and resolves once the requests in flight are answered, or after graceMs (then cuts them). */
export function closeGracefully(server: Server, graceMs: number): Promise<CloseOutcome> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.server.closeIdleConnections(), IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      server.server.closeAllConnections();
      finish('timed out');
    }, graceMs);
    server.close(() => finish('drained'));

    function finish(outcome: CloseOutcome): void {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(outcome);
    }
  });
}

/**
 * Starts measuring how late the event loop runs timers (a stall delays every request), and returns
 * a reading of the largest delay and the 99th percentile since then, in milliseconds.
 */
export function measureEventLoopDelay(): () => { maxMs: number; p99Ms: number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const milliseconds = (nanoseconds: number) => Math.round(nanoseconds / 1e4) / 100;
  return () => ({ maxMs: milliseconds(histogram.max), p99Ms: milliseconds(histogram.percentile(99)) });
}
