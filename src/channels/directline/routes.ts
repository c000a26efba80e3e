/**
 * A local Direct Line 3.0 endpoint under /directline, enough for Web Chat with
 * `createDirectLine({ domain: <origin>/directline, webSocket: false })`: start a conversation,
 * post activities, get activities after a watermark (a held long-poll), generate and refresh tokens.
 * Each conversation has a random token; its endpoints need it as `Authorization: Bearer <token>`.
 * Starting a conversation needs none (like the anonymous bot endpoint); a token from
 * /tokens/generate starts that token's conversation.
 * Every POST (each starts a turn or a conversation) counts toward the per-client limit; polls do
 * not: Web Chat polls all the time, a poll runs no turn and needs the conversation's token.
 */
import type { Activity } from 'botbuilder';
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';
import type { z } from 'zod';
import type { RouteRegistrar } from '../http/server.js';
import { fromBot, fromUser, postedActivitySchema, startRequestSchema, userAccount, userJoined, type ChannelAddress } from './activities.js';
import type { BotTurn } from './botBridge.js';
import { ConversationStore, type Conversation } from './conversations.js';

/**
 * How long a poll with nothing new waits before answering empty. Web Chat gives up on a request
 * after 20 s, and a poll that times out stops its polling for good, so this must stay below that.
 */
export const DEFAULT_POLL_HOLD_MS = 15_000;

export interface DirectLineOptions {
  runTurn: BotTurn;
  logger: Logger;
  conversations?: ConversationStore;
  pollHoldMs?: number;
}

export function directLineRoutes({ runTurn, logger, conversations = new ConversationStore(), pollHoldMs = DEFAULT_POLL_HOLD_MS }: DirectLineOptions): RouteRegistrar {
  return (server, { limitPerClient, readJson }) => {
    const closing = abortOnClose(server);
    const directLine = new LocalDirectLine(conversations, runTurn, logger, pollHoldMs, () => `${server.url}/directline`);
    server.post('/directline/tokens/generate', limitPerClient, handle((req, res) => directLine.generateToken(req, res)));
    server.post('/directline/tokens/refresh', limitPerClient, handle((req, res) => directLine.refreshToken(req, res)));
    server.post('/directline/conversations', limitPerClient, readJson, handle((req, res) => directLine.startConversation(req, res)));
    server.get('/directline/conversations/:conversationId/activities', handle((req, res) => directLine.getActivities(req, res, closing)));
    server.post('/directline/conversations/:conversationId/activities', limitPerClient, readJson, handle((req, res) => directLine.postActivity(req, res)));
  };
}

class LocalDirectLine {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly runTurn: BotTurn,
    private readonly logger: Logger,
    private readonly pollHoldMs: number,
    private readonly serviceUrl: () => string,
  ) {}

  generateToken(_req: Request, res: Response): void {
    const conversation = this.conversations.create(userAccount());
    res.send(200, this.describe(conversation));
  }

  refreshToken(req: Request, res: Response): void {
    const conversation = this.conversationOfToken(req, res);
    if (conversation) res.send(200, this.describe(conversation));
  }

  async startConversation(req: Request, res: Response): Promise<void> {
    const body = parse(startRequestSchema, req.body, res);
    if (!body.ok) return;
    const token = bearerToken(req);
    const conversation = (token && this.conversations.findByToken(token)) || this.conversations.create(userAccount(body.value?.user));
    const isNew = !conversation.started;
    if (isNew) {
      conversation.started = true;
      await conversation.inTurn(() => this.deliver(conversation, userJoined(this.addressOf(conversation))));
    }
    res.send(isNew ? 201 : 200, this.describe(conversation));
  }

  async getActivities(req: Request, res: Response, closing: AbortSignal): Promise<void> {
    const conversation = this.authorizedConversation(req, res);
    if (!conversation) return;
    const watermark = parseWatermark(req.getQuery());
    if (watermark === undefined) return sendError(res, 400, 'BadArgument', 'watermark must be a whole number');
    await conversation.waitForActivitiesAfter(watermark, this.pollHoldMs, AbortSignal.any([closing, closedSignal(res)]));
    if (!res.writableEnded && !res.destroyed) {
      res.send(200, { activities: conversation.activitiesAfter(watermark), watermark: String(conversation.watermark) });
    }
  }

  async postActivity(req: Request, res: Response): Promise<void> {
    const conversation = this.authorizedConversation(req, res);
    if (!conversation) return;
    const posted = parse(postedActivitySchema, req.body, res);
    if (!posted.ok) return;
    const id = await conversation.inTurn(async () => {
      // The echo (Web Chat matches it by channelData.clientActivityID) waits quietly for the answer, so both arrive together.
      const echo = conversation.append([fromUser(posted.value, this.addressOf(conversation))], { quietly: true })[0]!;
      await this.deliver(conversation, echo);
      return echo.id;
    });
    res.send(200, { id });
  }

  /** Runs the bot's turn and adds its replies; held polls wake even if the turn failed. */
  private async deliver(conversation: Conversation, activity: Partial<Activity>): Promise<void> {
    try {
      conversation.append((await this.runTurn(activity)).map(fromBot));
    } catch (error) {
      this.logger.error({ err: error, conversationId: conversation.id }, 'direct line: the bot turn failed');
      conversation.wakeHeldPolls();
    }
  }

  private addressOf(conversation: Conversation): ChannelAddress {
    return { conversationId: conversation.id, user: conversation.user, serviceUrl: this.serviceUrl() };
  }

  private describe(conversation: Conversation) {
    return { conversationId: conversation.id, token: conversation.token, expires_in: this.conversations.tokenLifetimeSeconds };
  }

  /** The conversation named in the path, if the request carries its token; otherwise answers 401 or 404. */
  private authorizedConversation(req: Request, res: Response): Conversation | undefined {
    const token = bearerToken(req);
    if (!token) return sendError(res, 401, 'TokenMissing', 'send the conversation token as "Authorization: Bearer <token>"');
    const conversation = this.conversations.find(String(req.params.conversationId));
    if (!conversation) return sendError(res, 404, 'BadArgument', 'unknown or expired conversation');
    if (!conversation.acceptsToken(token)) return sendError(res, 401, 'TokenInvalid', 'the token is not valid for this conversation');
    return conversation;
  }

  private conversationOfToken(req: Request, res: Response): Conversation | undefined {
    const token = bearerToken(req);
    if (!token) return sendError(res, 401, 'TokenMissing', 'send the token as "Authorization: Bearer <token>"');
    return this.conversations.findByToken(token) ?? sendError(res, 401, 'TokenInvalid', 'unknown or expired token');
  }
}

/** A restify handler that answers by itself (restify wants those to be async functions). */
function handle(answer: (req: Request, res: Response) => unknown) {
  return async (req: Request, res: Response): Promise<void> => {
    await answer(req, res);
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
function sendError(res: Response, status: number, code: string, message: string): undefined {
  res.send(status, { error: { code, message } });
  return undefined;
}

function closedSignal(res: Response): AbortSignal {
  const closed = new AbortController();
  res.once('close', () => closed.abort());
  return closed.signal;
}

/** A held poll would keep a closing server waiting: `closing` aborts as soon as close() is called, so polls answer at once. */
function abortOnClose(server: Server): AbortSignal {
  const closing = new AbortController();
  const close = server.close.bind(server);
  server.close = (callback?: () => unknown) => {
    closing.abort();
    return close(callback);
  };
  return closing.signal;
}
