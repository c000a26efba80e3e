/** Where the server listens, and how it stops: stop accepting, let requests in flight (turns) finish. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Server } from 'restify';
import { isLoopbackName } from './localAddresses.js';

/**
 * Why listening on `host` deserves a warning, or undefined: an anonymous bot (no token checked, replies
 * posted to any serviceUrl) listening beyond loopback can be used by anyone who reaches it.
 */
export function exposureWarning(host: string, anonymous: boolean): string | undefined {
  if (!anonymous || isLoopbackName(host)) return undefined;
  return `anonymous mode (no MicrosoftAppId) is listening on ${host}, not only on loopback: anyone who can reach it can use the bot and make it send requests to any address; set HOST=127.0.0.1 or set the Bot Framework credentials`;
}

export type CloseOutcome = 'drained' | 'timed out';

/** How often connections with no request in flight are closed while draining: otherwise they hold the close up until they time out. */
const IDLE_SWEEP_MS = 50;

/** Per server: its open connections, and the request each is answering (headers received, response not yet sent). */
const connectionsOf = new WeakMap<Server, Map<Socket, IncomingMessage | undefined>>();

/**
 * Starts following the server's connections, for closeGracefully. A connection whose request has
 * not finished its headers runs nothing yet: it is not in flight (Node's closeIdleConnections keeps
 * it, so a client that never finishes its headers held a stop up for the whole grace period).
 */
export function followConnections(server: Server): void {
  const connections = new Map<Socket, IncomingMessage | undefined>();
  connectionsOf.set(server, connections);
  server.server.on('connection', (socket: Socket) => {
    connections.set(socket, undefined);
    socket.once('close', () => connections.delete(socket));
  });
  server.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    connections.set(req.socket, req);
    res.once('close', () => {
      if (connections.has(req.socket)) connections.set(req.socket, undefined);
    });
  });
}

/**
 * Stops accepting connections and resolves once the requests in flight are answered, or after graceMs
 * (then cuts them). "timed out" means a request was cut while its handler ran; one whose body was
 * still arriving never started a turn, so cutting it still counts as drained.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<CloseOutcome> {
  const connections = connectionsOf.get(server) ?? new Map<Socket, IncomingMessage | undefined>();
  return new Promise((resolve) => {
    const closeUnused = (): void => {
      server.server.closeIdleConnections();
      for (const [socket, request] of connections) if (!request) socket.destroy();
    };
    const sweep = setInterval(closeUnused, IDLE_SWEEP_MS);
    const deadline = setTimeout(() => {
      const turnsCut = [...connections.values()].some((request) => request?.complete);
      server.server.closeAllConnections();
      finish(turnsCut ? 'timed out' : 'drained');
    }, graceMs);
    server.close(() => finish('drained'));
    closeUnused();

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
