/**
 * The per-client limit: requests per client address per minute, 429 with Retry-After beyond. The
 * address is the connection's: behind a reverse proxy every client has the proxy's address (a
 * forwarded-for header is not trusted, since any client can write one).
 */
import type { Next, Request, RequestHandler, Response } from 'restify';
import { RateLimiter } from '../shared/rateLimiter.js';
import { ClientError, sendError } from './errors.js';

/** One budget per client across every route the handler guards; 0 per minute turns it off. */
export function limitPerClient(perMinute: number): RequestHandler {
  const limiter = new RateLimiter(perMinute);
  return (req: Request, res: Response, next: Next): void => {
    const { allowed, retryAfterSeconds } = limiter.take(req.socket.remoteAddress ?? 'unknown');
    if (allowed) return next();
    res.header('Retry-After', String(retryAfterSeconds));
    sendError(res, new ClientError(429, 'TooManyRequests', `too many requests: try again in ${retryAfterSeconds} s`));
    return next(false);
  };
}
