/**
 * The baseline of `npm run bench`: a bot that only echoes, on the assistant's own restify +
 * CloudAdapter stack (the same server, guards and adapter). Bundled and started as the assistant is
 * (scripts/echoBot.ts), so the bench compares the bots and not the way they are loaded.
 */
import { ActivityHandler } from 'botbuilder';
import type { Engine } from '../src/engine/engine.js';
import { createAdapter } from '../src/channels/bot/adapter.js';
import { createServer } from '../src/channels/http/server.js';
import { createLogger } from '../src/channels/shared/logger.js';
import type { Settings } from '../src/channels/shared/settings.js';
import { sharedStateFrom } from '../src/channels/state/sharedState.js';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(context.activity.text ?? '');
      await next();
    });
  }
}

/** The echo server (with the engine only for GET /healthz); resolves once it listens. */
export function listenEchoApp(engine: Engine, settings: Settings): Promise<void> {
  const logger = createLogger(settings.log.level);
  const adapter = createAdapter(
    settings,
    async (context) => {
      await context.sendActivity('error');
    },
    logger,
  );
  const state = sharedStateFrom(settings.state, logger);
  const server = createServer({ adapter, bot: new EchoBot(), engine, logger, settings: settings.server, state, anonymous: true });
  const { host, port } = settings.server;
  return new Promise((resolve) => {
    server.listen(port, host, resolve);
  });
}
