/**
 * The per-client limit: requests per client address per minute, 429 with Retry-After beyond. The
 * address is the connection's: behind a reverse proxy every client has the proxy's address (a
 * forwarded-for header is not trusted, since any client can write one).
 */
import type { Next, Request, RequestHandler, Response } from 'restify';
import type { Limiter, Verdict } from '../shared/rateLimiter.js';
import { ClientError, sendError } from './errors.js';

/** The two steps of the limit on a route that carries a message, placed around the body reader. */
export interface MessageLimit {
  /** Counts the request; beyond the limit it only marks it, for `afterBody` to decide. */
  beforeBody: RequestHandler;
  /** 429 for a marked request, unless its message is one that may not wait. */
  afterBody: RequestHandler;
}

type Decide = (verdict: Verdict, req: Request, res: Response, next: Next) => void;

/** One budget per client across every route the handler guards. */
export function limitPerClient(limiter: Limiter): RequestHandler {
  return withVerdict(limiter, (verdict, _req, res, next) => (verdict.allowed ? next() : refuse(verdict, res, next)));
}

/**
 * The same budget for a route that carries a message. A crisis reply is never withheld, so beyond
 * the limit the body is still read (it is bounded by MAX_BODY_BYTES) and a message that `mayNotWait`
 * goes on to its turn; any other gets the 429.
 */
export function limitMessagesPerClient(limiter: Limiter, mayNotWait: (body: unknown) => boolean): MessageLimit {
  const overLimit = new WeakMap<Request, Verdict>();
  return {
    beforeBody: withVerdict(limiter, (verdict, req, _res, next) => {
      if (!verdict.allowed) overLimit.set(req, verdict);
      next();
    }),
    afterBody: (req: Request, res: Response, next: Next): void => {
      const verdict = overLimit.get(req);
      if (!verdict || mayNotWait(req.body)) return next();
      return refuse(verdict, res, next);
    },
  };
}

/** Takes the client's verdict (at once from memory, or from a shared store) and decides with it. */
function withVerdict(limiter: Limiter, decide: Decide): RequestHandler {
  return (req: Request, res: Response, next: Next): void => {
    const verdict = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if ('allowed' in verdict) return decide(verdict, req, res, next);
    void verdict.then((shared) => decide(shared, req, res, next));
  };
}

function refuse({ retryAfterSeconds }: Verdict, res: Response, next: Next): void {
  res.header('Retry-After', String(retryAfterSeconds));
  sendError(res, new ClientError(429, 'TooManyRequests', `too many requests: try again in ${retryAfterSeconds} s`));
  return next(false);
}
