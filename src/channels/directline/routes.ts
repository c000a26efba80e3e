/**
 * A local Direct Line 3.0 endpoint under /directline, enough for Web Chat with
 * `createDirectLine({ domain: <origin>/directline, webSocket: false })`: start a conversation,
 * post activities, get activities after a watermark (a held long-poll), generate and refresh tokens.
 * Each conversation has a random token; its endpoints need it as `Authorization: Bearer <token>`.
 * Starting a conversation needs none (like the anonymous bot endpoint); a token from
 * /tokens/generate starts that token's conversation.
 * Every POST (each starts a turn or a conversation) counts toward the per-client limit, though a
 * message in crisis is answered beyond it (its body is read to know). Polls do not count: Web Chat
 * polls all the time, a poll runs no turn and needs the conversation's token. Polls are limited
 * instead by how many a client address and a conversation may hold at once, and each answers at
 * most a page of activities (Direct Line 3.0 lets a server return fewer, with the watermark to ask
 * for the rest). Starting conversations has a limit of its own, for all clients
 * together: a full store answers 503 rather than forget a conversation in use.
 */
import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import type { z } from 'zod';
import type { RouteRegistrar } from '../http/server.js';
import { echoOf, fromBot, fromUser, postedActivitySchema, startRequestSchema, userAccount, userJoined, type ChannelAddress } from './activities.js';
import type { BotTurn } from './botBridge.js';
import { RateLimiter, type Limiter } from '../shared/rateLimiter.js';
import { ConcurrencyLimit } from './concurrencyLimit.js';
import { ConversationStore, StoreUnavailableError, type ActivityPage, type DirectLineConversation as Conversation, type DirectLineStore } from './conversations.js';

/**
 * How long a poll with nothing new waits before answering empty. Web Chat gives up on a request
 * after 20 s, and a poll that times out stops its polling for good, so this must stay below that.
 */
export const DEFAULT_POLL_HOLD_MS = 15_000;

/** When a full store suggests trying again: conversations are forgotten after minutes without use. */
const RETRY_WHEN_FULL_SECONDS = 60;
/** When an unreachable store suggests trying again: Redis is reconnected within a second of coming back. */
const RETRY_WHEN_UNREACHABLE_SECONDS = 5;

export interface DirectLineLimits {
  /** Conversations started per minute by all clients together; 0: no limit. */
  conversationsPerMinute: number;
  /** Polls held at once per client address; 0: no limit. */
  pollsPerClient: number;
  /** Polls held at once per conversation; 0: no limit. */
  pollsPerConversation: number;
}

export const DEFAULT_DIRECTLINE_LIMITS: DirectLineLimits = { conversationsPerMinute: 0, pollsPerClient: 0, pollsPerConversation: 0 };

export interface DirectLineOptions {
  runTurn: BotTurn;
  logger: Logger;
  conversations?: DirectLineStore;
  limits?: DirectLineLimits;
  /** Counts conversations started (all clients under one key); default: in this process, at limits.conversationsPerMinute. */
  starts?: Limiter;
  pollHoldMs?: number;
}

export function directLineRoutes({
  conversations = new ConversationStore(),
  limits = DEFAULT_DIRECTLINE_LIMITS,
  starts = new RateLimiter(limits.conversationsPerMinute),
  pollHoldMs = DEFAULT_POLL_HOLD_MS,
  ...wiring
}: DirectLineOptions): RouteRegistrar {
  return (server, { limitPerClient, limitMessagesPerClient: messages, readJson }) => {
    const closing = abortOnClose(server);
    const directLine = new LocalDirectLine({ ...wiring, conversations, limits, starts, pollHoldMs, serviceUrl: () => `${server.url}/directline` });
    const handle = handleWith(wiring.logger);
    server.post(
      '/directline/tokens/generate',
      limitPerClient,
      handle((req, res) => directLine.generateToken(req, res)),
    );
    server.post(
      '/directline/tokens/refresh',
      limitPerClient,
      handle((req, res) => directLine.refreshToken(req, res)),
    );
    server.post(
      '/directline/conversations',
      limitPerClient,
      readJson,
      handle((req, res) => directLine.startConversation(req, res)),
    );
    server.get(
      '/directline/conversations/:conversationId/activities',
      handle((req, res) => directLine.getActivities(req, res, closing)),
    );
    server.post(
      '/directline/conversations/:conversationId/activities',
      messages.beforeBody,
      readJson,
      messages.afterBody,
      handle((req, res) => directLine.postActivity(req, res)),
    );
  };
}

interface LocalDirectLineWiring extends Required<DirectLineOptions> {
  serviceUrl: () => string;
}

class LocalDirectLine {
  private readonly conversations: DirectLineStore;
  private readonly starts: Limiter;
  private readonly pollsPerClient: ConcurrencyLimit;
  private readonly pollsPerConversation: ConcurrencyLimit;

  constructor(private readonly wiring: LocalDirectLineWiring) {
    this.conversations = wiring.conversations;
    this.starts = wiring.starts;
    this.pollsPerClient = new ConcurrencyLimit(wiring.limits.pollsPerClient);
    this.pollsPerConversation = new ConcurrencyLimit(wiring.limits.pollsPerConversation);
  }

  async generateToken(_req: Request, res: Response): Promise<void> {
    const conversation = await this.createConversation(res);
    if (conversation) res.send(200, this.describe(conversation));
  }

  async refreshToken(req: Request, res: Response): Promise<void> {
    const conversation = await this.conversationOfToken(req, res);
    if (conversation) res.send(200, this.describe(conversation));
  }

  async startConversation(req: Request, res: Response): Promise<void> {
    const body = parse(startRequestSchema, req.body, res);
    if (!body.ok) return;
    const token = bearerToken(req);
    const conversation = (token && (await this.conversations.findByToken(token))) || (await this.createConversation(res, body.value?.user));
    if (!conversation) return;
    const isNew = await conversation.claimStart();
    if (isNew) await conversation.inTurn(() => this.deliver(conversation, userJoined(this.addressOf(conversation))));
    res.send(isNew ? 201 : 200, this.describe(conversation));
  }

  async getActivities(req: Request, res: Response, closing: AbortSignal): Promise<void> {
    const conversation = await this.authorizedConversation(req, res);
    if (!conversation) return;
    const watermark = parseWatermark(req.getQuery());
    if (watermark === undefined) return sendError(res, 400, 'BadArgument', 'watermark must be a whole number');
    const release = this.holdPoll(req.socket.remoteAddress ?? 'unknown', conversation.id, res);
    if (!release) return;
    try {
      // Signals only for a poll that waits: building them for every poll showed in profiles of a flood.
      await conversation.waitForActivitiesAfter(watermark, this.wiring.pollHoldMs, () => AbortSignal.any([closing, closedSignal(res)]));
      if (!res.writableEnded && !res.destroyed) sendPage(res, await conversation.activitiesAfter(watermark));
    } finally {
      release();
    }
  }

  async postActivity(req: Request, res: Response): Promise<void> {
    const conversation = await this.authorizedConversation(req, res);
    if (!conversation) return;
    const posted = parse(postedActivitySchema, req.body, res);
    if (!posted.ok) return;
    const id = await conversation.inTurn(async () => {
      const activity = fromUser(posted.value, this.addressOf(conversation));
      // The echo (Web Chat matches it by channelData.clientActivityID) waits quietly for the answer, so both arrive together.
      const [{ id: echoId }] = (await conversation.append([echoOf(activity)], { quietly: true })) as [Activity];
      await this.deliver(conversation, { ...activity, id: echoId });
      return echoId;
    });
    res.send(200, { id });
  }

  /** Runs the bot's turn and adds its replies; held polls wake even if the turn failed. */
  private async deliver(conversation: Conversation, activity: Partial<Activity>): Promise<void> {
    try {
      await conversation.append((await this.wiring.runTurn(activity)).map(fromBot));
    } catch (error) {
      this.wiring.logger.error({ err: error, conversationId: conversation.id }, 'direct line: the bot turn failed');
      conversation.wakeHeldPolls();
    }
  }

  /** Takes a place for a poll of this client and conversation, and returns how to give it back; undefined once it has answered 429. */
  private holdPoll(client: string, conversationId: string, res: Response): (() => void) | undefined {
    if (!this.pollsPerClient.tryEnter(client)) return tooManyPolls(res, 'this client address');
    if (!this.pollsPerConversation.tryEnter(conversationId)) {
      this.pollsPerClient.leave(client);
      return tooManyPolls(res, 'this conversation');
    }
    return () => {
      this.pollsPerClient.leave(client);
      this.pollsPerConversation.leave(conversationId);
    };
  }

  /** A new conversation, or undefined once it has answered 429 (too many started this minute) or 503 (the store is full). */
  private async createConversation(res: Response, user?: Parameters<typeof userAccount>[0]): Promise<Conversation | undefined> {
    const { allowed, retryAfterSeconds } = await this.starts.take('');
    if (!allowed) return sendError(res, 429, 'TooManyRequests', `too many conversations started: try again in ${retryAfterSeconds} s`, retryAfterSeconds);
    const conversation = await this.conversations.create(userAccount(user));
    return conversation ?? sendError(res, 503, 'ServiceUnavailable', 'too many conversations in progress: try again later', RETRY_WHEN_FULL_SECONDS);
  }

  private addressOf(conversation: Conversation): ChannelAddress {
    return { conversationId: conversation.id, user: conversation.user, serviceUrl: this.wiring.serviceUrl() };
  }

  private describe(conversation: Conversation) {
    return { conversationId: conversation.id, token: conversation.token, expires_in: this.conversations.tokenLifetimeSeconds };
  }

  /** The conversation named in the path, if the request carries its token; otherwise answers 401 or 404. */
  private async authorizedConversation(req: Request, res: Response): Promise<Conversation | undefined> {
    const token = bearerToken(req);
    if (!token) return sendError(res, 401, 'TokenMissing', 'send the conversation token as "Authorization: Bearer <token>"');
    const conversation = await this.conversations.find(String((req.params as Record<string, unknown>).conversationId));
    if (!conversation) return sendError(res, 404, 'BadArgument', 'unknown or expired conversation');
    if (!conversation.acceptsToken(token)) return sendError(res, 401, 'TokenInvalid', 'the token is not valid for this conversation');
    return conversation;
  }

  private async conversationOfToken(req: Request, res: Response): Promise<Conversation | undefined> {
    const token = bearerToken(req);
    if (!token) return sendError(res, 401, 'TokenMissing', 'send the token as "Authorization: Bearer <token>"');
    return (await this.conversations.findByToken(token)) ?? sendError(res, 401, 'TokenInvalid', 'unknown or expired token');
  }
}

/**
 * Handlers that answer by themselves (restify wants those to be async functions). An unreachable
 * store is answered with a 503 that says so, at once: a client must not wait on a store that is down.
 */
function handleWith(logger: Logger) {
  return (answer: (req: Request, res: Response) => Promise<void>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await answer(req, res);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        logger.warn({ err: error.message }, 'direct line: the conversation store is unreachable');
        if (!res.headersSent)
          sendError(
            res,
            503,
            'ServiceUnavailable',
            'conversations are unavailable for a moment (their store cannot be reached): try again shortly',
            RETRY_WHEN_UNREACHABLE_SECONDS,
          );
      }
    };
}

function bearerToken(req: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')?.[1];
}

/** Absent or empty means from the start; anything but a whole number is refused. */
function parseWatermark(query: string): number | undefined {
  const watermark = new URLSearchParams(query).get('watermark') ?? '';
  if (watermark === '') return 0;
  return /^\d{1,15}$/.test(watermark) ? Number(watermark) : undefined;
}

function parse<S extends z.ZodType>(schema: S, body: unknown, res: Response): { ok: true; value: z.infer<S> } | { ok: false } {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const [issue] = parsed.error.issues;
  sendError(res, 400, 'BadArgument', `malformed body: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
  return { ok: false };
}

/** Answers with a Direct Line error body; returns undefined so callers can `return sendError(...)`. */
function sendError(res: Response, status: number, code: string, message: string, retryAfterSeconds?: number): undefined {
  if (retryAfterSeconds !== undefined) res.header('Retry-After', String(retryAfterSeconds));
  res.send(status, { error: { code, message } });
  return undefined;
}

function tooManyPolls(res: Response, holder: string): undefined {
  return sendError(res, 429, 'TooManyRequests', `too many polls held at once by ${holder}`, 1);
}

/** The page's activities are JSON already (serialised once, when added): joined, not serialised again. */
function sendPage(res: Response, page: ActivityPage): void {
  const body = `{"activities":[${page.json.join(',')}],"watermark":"${page.watermark}"}`;
  res.sendRaw(200, body, { 'Content-Type': 'application/json' });
}

/** Aborted when the response closes (answered or the client gone); with a plain reason, since a DOMException per poll costs. */
function closedSignal(res: Response): AbortSignal {
  const closed = new AbortController();
  res.once('close', () => closed.abort('response closed'));
  return closed.signal;
}

/** A held poll would keep a closing server waiting: `closing` aborts as soon as close() is called, so polls answer at once. */
function abortOnClose(server: Server): AbortSignal {
  const closing = new AbortController();
  const close = server.close.bind(server);
  server.close = (callback?: () => unknown): unknown => {
    closing.abort();
    return close(callback);
  };
  return closing.signal;
}
