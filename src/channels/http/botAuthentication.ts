/**
 * Who may reach the bot's turn on POST /api/messages: the Bot Framework token check, with the
 * server's own answers. A token that can never be valid (not a JWT, a signing algorithm Azure does
 * not use, no key id) is refused before anything is fetched; a refused token is 401 with the
 * server's `{code, message}` body; an identity provider that cannot be reached (its signing keys
 * are needed) is 503, not a 500. Each refusal is one structured log line, at most
 * LOG_LINES_PER_MINUTE of them (the next says how many were left out), and a client address that
 * keeps failing gets 429 before its body is read.
 */
import type { AuthenticateRequestResult } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { Next, Request, Response } from 'restify';
import type { BotAdapter } from '../bot/adapter.js';
import { RateLimiter } from '../shared/rateLimiter.js';
import { SampledLog } from '../shared/sampledLog.js';
import { ClientError, sendError } from './errors.js';

/** The algorithms botframework-connector accepts (AuthenticationConstants.AllowedSigningAlgorithms). */
const SIGNING_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);
const LOG_LINES_PER_MINUTE = 60;
/** What jsonwebtoken throws for a token it refuses (botframework-connector passes some on as they are). */
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

export class AuthenticationGate {
  private readonly failuresPerClient: RateLimiter;
  private readonly refusals = new SampledLog(LOG_LINES_PER_MINUTE);

  constructor(
    private readonly adapter: BotAdapter,
    private readonly logger: Logger,
    failuresPerMinute: number,
  ) {
    this.failuresPerClient = new RateLimiter(failuresPerMinute);
  }

  /** 429 for a client address that has failed authentication too often this minute. */
  readonly refuseFailingClients = (req: Request, res: Response, next: Next): void => {
    const { allowed, retryAfterSeconds } = this.failuresPerClient.peek(clientOf(req));
    if (allowed) return next();
    res.header('Retry-After', String(retryAfterSeconds));
    sendError(res, new ClientError(429, 'TooManyRequests', `too many failed authentications: try again in ${retryAfterSeconds} s`));
    return next(false);
  };

  /** 401, before the body is read, for a token that can never be valid, or for none when one is `required`. */
  tokenShapeCheck(required: boolean) {
    return (req: Request, res: Response, next: Next): void => {
      const header = req.header('authorization') ?? '';
      const problem = header === '' ? (required ? 'no token' : undefined) : tokenShapeProblem(header);
      if (!problem) return next();
      this.refuse(req, res, problem);
      return next(false);
    };
  }

  /** The authenticated request, or undefined once it has answered 401 or 503. */
  async authenticate(req: Request, res: Response, activity: Activity): Promise<AuthenticateRequestResult | undefined> {
    try {
      return await this.adapter.authenticate(activity, req.header('authorization') ?? '');
    } catch (error) {
      if (isTokenRefusal(error)) return this.refuse(req, res, errorMessage(error));
      this.logger.warn({ err: error, remoteAddress: clientOf(req) }, 'could not check a token: the identity provider cannot be reached');
      res.header('Retry-After', '10');
      sendError(res, new ClientError(503, 'ServiceUnavailable', 'the token cannot be checked now: try again later'));
      return undefined;
    }
  }

  private refuse(req: Request, res: Response, reason: string): undefined {
    const remoteAddress = clientOf(req);
    this.failuresPerClient.take(remoteAddress);
    this.refusals.write((suppressed) => this.logger.warn({ remoteAddress, reason, suppressed }, 'authentication failed'));
    sendError(res, new ClientError(401, 'Unauthorized', 'send a valid Bot Framework token as "Authorization: Bearer <token>"'));
    return undefined;
  }
}

/** Why the Authorization header cannot hold a token Azure issued, or undefined when it may. */
export function tokenShapeProblem(header: string): string | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const parts = token?.split('.');
  if (!parts || parts.length !== 3) return 'not a bearer JWT';
  const jwtHeader = decodedJson(parts[0]!);
  if (!jwtHeader) return 'an unreadable JWT header';
  if (typeof jwtHeader.alg !== 'string' || !SIGNING_ALGORITHMS.has(jwtHeader.alg)) return `the signing algorithm ${JSON.stringify(jwtHeader.alg)}`;
  if (typeof jwtHeader.kid !== 'string' || jwtHeader.kid === '') return 'no key id';
  return undefined;
}

function decodedJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A token refused (botframework-connector's AuthenticationError with 401, or jsonwebtoken's errors), not a failure to check it. */
function isTokenRefusal(error: unknown): boolean {
  const { statusCode, name } = (error ?? {}) as { statusCode?: unknown; name?: unknown };
  return statusCode === 401 || TOKEN_ERRORS.has(String(name));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function clientOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}
