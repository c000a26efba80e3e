/**
 * The baseline of `npm run bench`: a bot that only echoes, on the assistant's own restify +
 * CloudAdapter stack (the same server, guards and adapter). Bundled and started as the assistant is
 * (scripts/echoBot.ts), so the bench compares the bots and not the way they are loaded.
 */
import { ActivityHandler } from 'botbuilder';
import type { Engine } from '../src/engine/engine.js';
import { createAdapter } from '../src/channels/bot/adapter.js';
import { listenAddress } from '../src/channels/http/lifecycle.js';
import { createServer } from '../src/channels/http/server.js';
import { channelSettingsFrom } from '../src/channels/shared/channelSettings.js';
import { createLogger } from '../src/channels/shared/logger.js';
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
export function listenEchoApp(engine: Engine, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const logger = createLogger(env);
  const adapter = createAdapter(
    env,
    async (context) => {
      await context.sendActivity('error');
    },
    logger,
  );
  const settings = channelSettingsFrom(env);
  const state = sharedStateFrom(settings, logger);
  const server = createServer({ adapter, bot: new EchoBot(), engine, logger, settings, state, anonymous: true });
  const { host, port } = listenAddress(env);
  return new Promise((resolve) => {
    server.listen(port, host, resolve);
  });
}
