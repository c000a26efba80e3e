/** `npm start`: the Bot Framework endpoint for the Emulator, Azure Bot Service (Teams, Web Chat). */
import { createAdapter, botCredentialsFrom } from './channels/bot/adapter.js';
import { AssistantBot } from './channels/bot/assistantBot.js';
import { closeGracefully, listenAddress, measureEventLoopDelay } from './channels/http/lifecycle.js';
import { createServer } from './channels/http/server.js';
import { channelSettingsFrom } from './channels/shared/channelSettings.js';
import { loadDotEnv } from './channels/shared/env.js';
import { loadEngine } from './channels/shared/loadEngine.js';
import { createLogger } from './channels/shared/logger.js';
import { localWebChatRoutes } from './channels/web/localWebChat.js';

/** How long turns in flight may take to finish once a stop is asked for. */
const SHUTDOWN_GRACE_MS = 10_000;

loadDotEnv();
const logger = createLogger(process.env);
const settings = channelSettingsFrom(process.env);
const anonymous = !botCredentialsFrom(process.env).MicrosoftAppId;
const engine = await loadEngine();
const bot = new AssistantBot({ engine, logger, messagesPerMinute: settings.rateLimitPerMinute, logQuestions: settings.logQuestions });
const adapter = createAdapter(process.env, bot.handleTurnError);
const webChat = localWebChatRoutes(process.env, { adapter, bot, engine, logger });
const server = createServer({ adapter, bot, engine, logger, settings, anonymous, routes: webChat });
const { host, port } = listenAddress(process.env);
const eventLoopDelay = measureEventLoopDelay();

server.listen(port, host, () => {
  const mode = anonymous ? 'anonymous (Emulator only)' : 'authenticated';
  logger.info({ contentVersion: engine.contentVersion, mode }, `bot listening on ${server.url}/api/messages`);
  if (webChat.length > 0) logger.info(`chat page on ${server.url}/`);
});

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
