/**
 * The per-client limit: requests per client address per minute, 429 with Retry-After beyond. The
 * address is the connection's: behind a reverse proxy every client has the proxy's address (a
 * forwarded-for header is not trusted, since any client can write one).
 */
import type { Next, Request, RequestHandler, Response } from 'restify';
import type { Limiter, Verdict } from '../shared/rateLimiter.js';
import { ClientError, sendError } from './errors.js';

/** One budget per client across every route the handler guards. */
export function limitPerClient(limiter: Limiter): RequestHandler {
  return (req: Request, res: Response, next: Next): void => {
    const verdict = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if ('allowed' in verdict) return answer(verdict, res, next);
    void verdict.then((shared) => answer(shared, res, next));
  };
}

function answer({ allowed, retryAfterSeconds }: Verdict, res: Response, next: Next): void {
  if (allowed) return next();
  res.header('Retry-After', String(retryAfterSeconds));
  sendError(res, new ClientError(429, 'TooManyRequests', `too many requests: try again in ${retryAfterSeconds} s`));
  return next(false);
}
