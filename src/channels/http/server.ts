/**
 * The restify server: POST /api/messages (the Bot Framework endpoint) and GET /healthz. No
 * process-level side effects (no listening, no signal handlers), so tests can run it on port 0.
 * Other channels add their routes through `routes`.
 */
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import restify, { type Request, type Response, type Next, type Server } from 'restify';
import type { Engine } from '../../engine/engine.js';

/** Adds routes (e.g. a local Direct Line and its Web Chat page) to the server. */
export type RouteRegistrar = (server: Server) => void;

export interface ServerOptions {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  engine: Engine;
  routes?: readonly RouteRegistrar[];
}

/** Activities are small; this bounds what one request can make the server buffer. */
const MAX_ACTIVITY_BYTES = 256 * 1024;

export function createServer({ adapter, bot, engine, routes = [] }: ServerOptions): Server {
  const server = restify.createServer({ name: 'clonazepam-faq-assistant' });
  server.post(
    '/api/messages',
    restify.plugins.bodyReader({ maxBodySize: MAX_ACTIVITY_BYTES }),
    ...restify.plugins.jsonBodyParser({ bodyReader: true }),
    rejectNonActivities,
    async (req: Request, res: Response) => {
      await adapter.process(req, res, (context) => bot.run(context));
    },
  );
  server.get('/healthz', healthCheck(engine));
  for (const register of routes) register(server);
  return server;
}

/** 400 for a body that is not an activity; the adapter would throw (500) on a missing type. */
function rejectNonActivities(req: Request, res: Response, next: Next): void {
  const problem = activityProblem(req.body);
  if (problem) {
    res.send(400, { code: 'BadRequest', message: problem });
    return next(false);
  }
  return next();
}

function activityProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON activity object';
  const { type } = body as { type?: unknown };
  if (typeof type !== 'string' || type === '') return 'the activity has no type';
  return undefined;
}

/** 200 when the engine answers its first starter question from the content, 503 otherwise. */
function healthCheck(engine: Engine) {
  const ready = answersStarter(engine);
  const body = { status: ready ? 'ok' : 'unavailable', ready, contentVersion: engine.contentVersion };
  return (_req: Request, res: Response, next: Next): void => {
    res.send(ready ? 200 : 503, body);
    next();
  };
}

function answersStarter(engine: Engine): boolean {
  const [starter] = engine.welcome().suggestions;
  return starter !== undefined && engine.answer(starter.label).kind !== 'fallback';
}
