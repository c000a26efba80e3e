/**
 * The server `npm start` runs: the Bot Framework endpoint for the Emulator and Azure Bot Service
 * (Teams, Web Chat), the local chat page, and a graceful stop on SIGTERM or SIGINT. `npm run build`
 * bundles this module with its packages into dist/server.cjs, which src/index.ts loads; the engine
 * stays outside the bundle, so the server shares the trained-model cache with every other command.
 */
import type { Server } from 'restify';
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.js';
import { createAdapter } from './bot/adapter.js';
import { AssistantBot } from './bot/assistantBot.js';
import { closeGracefully, exposureWarning, measureEventLoopDelay } from './http/lifecycle.js';
import { createServer } from './http/server.js';
import { announceStart } from './http/startupNotice.js';
import { createLogger, routeConsoleToLogger } from './shared/logger.js';
import type { Settings } from './shared/settings.js';
import { reviewLogFrom } from './review/sinks.js';
import { sharedStateFrom } from './state/sharedState.js';
import { localWebChatRoutes } from './web/localWebChat.js';

// For src/index.ts, which reads the settings before the engine: through the bundle, zod comes compiled from V8's code cache.
export { settingsOrExit } from './shared/env.js';
export { settingsFrom } from './shared/settings.js';

/** How long turns in flight may take to finish once a stop is asked for. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface App {
  /** Starts accepting requests (and stopping gracefully on SIGTERM or SIGINT); resolves once it does. */
  listen(): Promise<void>;
}

/** The server for the engine (`root`: the project folder), ready to listen. */
export function createApp(engine: Engine, root: string, settings: Settings): App {
  const logger = createLogger(settings.log.level);
  const { anonymous } = settings.bot;
  const { host, port } = settings.server;
  const state = sharedStateFrom(settings.state, logger);
  const bot = new AssistantBot({
    engine,
    logger,
    storage: state.storage,
    perConversation: state.limiter('conversation', settings.server.rateLimitPerMinute),
    logQuestions: settings.log.questions,
    review: reviewLogFrom(settings.review, engine, logger),
  });
  const adapter = createAdapter(settings, bot.handleTurnError, logger);
  const webChat = localWebChatRoutes(settings, { adapter, bot, engine, logger, root, state });
  const server = createServer({ adapter, bot, engine, logger, settings: settings.server, state, anonymous, listenHost: host, routes: webChat });
  const announce = () => {
    announceStart({ url: server.url, anonymous, chatPage: webChat.length > 0, contentVersion: engine.contentVersion }, logger);
    const warning = exposureWarning(host, anonymous);
    if (warning) logger.warn(warning);
  };
  return {
    listen: () => {
      routeConsoleToLogger(logger);
      stopGracefullyOnSignals(server, logger);
      return new Promise((resolve) => {
        server.listen(port, host, () => {
          announce();
          resolve();
        });
      });
    },
  };
}

function stopGracefullyOnSignals(server: Server, logger: Logger): void {
  const eventLoopDelay = measureEventLoopDelay();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal, eventLoopDelayMs: eventLoopDelay() }, 'stopping: finishing turns in flight');
      void closeGracefully(server, SHUTDOWN_GRACE_MS).then((outcome) => {
        if (outcome === 'drained') process.exit(0);
        logger.warn(`turns still in flight after ${SHUTDOWN_GRACE_MS} ms were cut off`);
        process.exit(1);
      });
    });
  }
}
