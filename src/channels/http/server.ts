/**
 * The restify server: POST /api/messages (the Bot Framework endpoint) and GET /healthz. No
 * process-level side effects (no listening, no signal handlers), so tests can run it on port 0.
 * Other channels add their routes through `routes`, with the same guards (body limit, per-client
 * limit) the bot endpoint uses.
 */
import type { AddressInfo } from 'node:net';
import type { Activity, ActivityHandlerBase } from 'botbuilder';
import { pino, type Logger } from 'pino';
import restify, { type Next, type Request, type RequestHandler, type Response, type Server, type ServerOptions as RestifyOptions } from 'restify';
import type { Engine } from '../../engine/engine.js';
import type { BotAdapter } from '../bot/adapter.js';
import { inboundActivityProblem } from '../bot/inboundActivity.js';
import type { ChannelSettings } from '../shared/channelSettings.js';
import type { SharedState } from '../state/sharedState.js';
import { limitPerClient } from './clientRateLimit.js';
import { AuthenticationGate } from './botAuthentication.js';
import { answerNotFoundPlainly, answerServerFaultsBlandly, ClientError, sendError } from './errors.js';
import { requireExactPath } from './exactPath.js';
import { requireLocalHost } from './hostCheck.js';
import { boundAddress } from './localAddresses.js';
import { rejectMalformedHost } from './hostHeader.js';
import { readJsonBody } from './jsonBody.js';
import { followConnections } from './lifecycle.js';
import { serviceUrlProblem } from './serviceUrl.js';

/** Handlers a route puts in front of its own. */
export interface RouteGuards {
  /** 429 once the client address has used its requests of the minute (one budget for every guarded route). */
  limitPerClient: RequestHandler;
  /** Reads the JSON body into req.body within the size limit (413, 415 or 400 otherwise). */
  readJson: RequestHandler;
}

/** Adds routes (e.g. a local Direct Line and its Web Chat page) to the server. */
export type RouteRegistrar = (server: Server, guards: RouteGuards) => void;

export interface ServerOptions {
  adapter: BotAdapter;
  bot: ActivityHandlerBase;
  engine: Engine;
  logger: Logger;
  settings: Pick<ChannelSettings, 'maxBodyBytes' | 'rateLimitPerMinute'>;
  /** Where the per-client limit counts, and whether that store can be reached (for /healthz). */
  state: Pick<SharedState, 'limiter' | 'health'>;
  /**
   * No Bot Framework credentials: the callers of /api/messages are local clients (the Emulator), so it
   * gets the per-client limit. With credentials they are the channel service, whose few addresses all
   * users share; every request is authenticated and the bot's per-conversation limit applies instead.
   */
  anonymous: boolean;
  /** The HOST the server listens on, as set (a name is accepted as Host when anonymous); default: the address it is bound to. */
  listenHost?: string;
  routes?: readonly RouteRegistrar[];
}

export function createServer({ adapter, bot, engine, logger, settings, state, anonymous, listenHost, routes = [] }: ServerOptions): Server {
  const server = restify.createServer({ name: 'clonazepam-faq-assistant', log: restifyLogger(logger) });
  answerServerFaultsBlandly(server, logger);
  answerNotFoundPlainly(server);
  followConnections(server);
  server.pre(noSniffing);
  server.pre(rejectMalformedHost);
  if (anonymous) server.pre(requireLocalHost(boundAddress(server), listenHost));
  server.use(requireExactPath);
  const guards: RouteGuards = { limitPerClient: limitPerClient(state.limiter('client', settings.rateLimitPerMinute)), readJson: readJsonBody(settings.maxBodyBytes) };
  const gate = new AuthenticationGate(adapter, logger, settings.rateLimitPerMinute);
  const clientGuards = anonymous ? [guards.limitPerClient, gate.refuseFailingClients] : [gate.refuseFailingClients];
  server.post('/api/messages', ...clientGuards, gate.tokenShapeCheck(!anonymous), guards.readJson, rejectNonActivities(boundAddress(server)), runTurn(adapter, bot, gate));
  const health = healthCheck(engine, state.health);
  server.get('/healthz', health);
  server.head('/healthz', health);
  for (const register of routes) register(server, guards);
  return server;
}

/**
 * restify's own warnings through the application's logger, with the request reduced to what is safe
 * to log (its headers then go through the logger's redaction). restify 11 logs with pino; its types still say bunyan.
 */
function restifyLogger(logger: Logger): RestifyOptions['log'] {
  return logger.child({ component: 'restify' }, { serializers: { req: pino.stdSerializers.req } }) as unknown as RestifyOptions['log'];
}

/** Every answer (JSON, errors, the page's files) is to be read as the type it declares, never sniffed. */
function noSniffing(_req: Request, res: Response, next: Next): void {
  res.header('X-Content-Type-Options', 'nosniff');
  next();
}

/** 400 for a body that is not an activity with well-typed fields, or whose replies would go to this server itself. */
function rejectNonActivities(server: () => Pick<AddressInfo, 'port'>) {
  return (req: Request, res: Response, next: Next): void => {
    const body: unknown = req.body;
    const problem = inboundActivityProblem(body) ?? serviceUrlOf(body as { serviceUrl?: string }, server());
    if (!problem) return next();
    sendError(res, new ClientError(400, 'BadRequest', problem));
    return next(false);
  };
}

function serviceUrlOf(activity: { serviceUrl?: string }, server: Pick<AddressInfo, 'port'>): string | undefined {
  return activity.serviceUrl === undefined ? undefined : serviceUrlProblem(activity.serviceUrl, server);
}

/** Authenticates the request, then runs its turn; a 5xx the turn answers (an invoke's) becomes the server's bland 500. */
function runTurn(adapter: BotAdapter, bot: ActivityHandlerBase, gate: AuthenticationGate) {
  return async (req: Request, res: Response): Promise<void> => {
    const activity = req.body as Activity;
    const authentication = await gate.authenticate(req, res, activity);
    if (!authentication) return;
    const answer = await adapter.runAuthenticated(authentication, activity, (context) => bot.run(context));
    const status = answer?.status ?? 200;
    if (status >= 500) throw new Error(`the turn answered ${status}: ${JSON.stringify(answer?.body)}`);
    res.send(status, answer?.body);
  };
}

/**
 * 200 when the engine answers its first starter question from the content, 503 otherwise. With the
 * shared store unreachable the server still answers (without follow-up context, and the local Direct
 * Line refuses with 503): "degraded", with the reason, and still 200, so that a load balancer does
 * not take every instance out of service at once for an outage of the store they share.
 */
function healthCheck(engine: Engine, storeHealth: SharedState['health']) {
  const ready = answersStarter(engine);
  const contentVersion = engine.contentVersion;
  return (_req: Request, res: Response, next: Next): void => {
    const store = storeHealth();
    if (!ready) res.send(503, { status: 'unavailable', ready, contentVersion });
    else if (store.ok) res.send(200, { status: 'ok', ready, contentVersion });
    else res.send(200, { status: 'degraded', ready, contentVersion, reason: store.reason });
    next();
  };
}

function answersStarter(engine: Engine): boolean {
  const [starter] = engine.welcome().suggestions;
  return starter !== undefined && engine.answer(starter.label).kind !== 'fallback';
}
