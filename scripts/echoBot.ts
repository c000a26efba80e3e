/** The baseline for `npm run bench`: the same restify + CloudAdapter stack with a bot that only echoes. */
import { ActivityHandler } from 'botbuilder';
import { createAdapter } from '../src/channels/bot/adapter.js';
import { createServer } from '../src/channels/http/server.js';
import { channelSettingsFrom } from '../src/channels/shared/channelSettings.js';
import { loadEngine } from '../src/channels/shared/loadEngine.js';
import { createLogger } from '../src/channels/shared/logger.js';

class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(context.activity.text ?? '');
      await next();
    });
  }
}

const bot = new EchoBot();
const adapter = createAdapter(process.env, async (context) => {
  await context.sendActivity('error');
});
const settings = channelSettingsFrom(process.env);
const server = createServer({ adapter, bot, engine: await loadEngine(), logger: createLogger(process.env), settings, anonymous: true });
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write(`listening on ${server.url}\n`));
