/** A conversation with the real bot through botbuilder's TestAdapter, one turn at a time. */
import { TestAdapter, type Activity } from 'botbuilder';
import { pino, type Logger } from 'pino';
import { AssistantBot, type AssistantBotOptions } from '../../src/channels/bot/assistantBot.js';
import type { Engine } from '../../src/engine/engine.js';

export class BotConversation {
  private readonly adapter: TestAdapter;

  constructor(engine: Engine, { logger = pino({ level: 'silent' }), ...options }: Partial<Omit<AssistantBotOptions, 'engine'>> = {}) {
    const bot = new AssistantBot({ engine, logger, ...options });
    this.adapter = new TestAdapter((context) => bot.run(context));
    this.adapter.onTurnError = bot.handleTurnError;
  }

  /** Sends text (a typed message) or an activity, and returns what the bot sent back during that turn. */
  async send(activity: string | Partial<Activity>): Promise<Partial<Activity>[]> {
    await this.adapter.processActivity(activity);
    return this.adapter.activeQueue.splice(0);
  }

  /** The one message the bot answered with (after its typing indicator). */
  async ask(activity: string | Partial<Activity>): Promise<Partial<Activity>> {
    const replies = await this.send(activity);
    const messages = replies.filter((reply) => reply.type === 'message');
    if (messages.length !== 1) throw new Error(`expected one message, got ${JSON.stringify(replies)}`);
    return messages[0]!;
  }
}

/** The suggested actions of a reply, as the labels a click would send. */
export function suggestedLabels(reply: Partial<Activity>): string[] {
  const actions = reply.suggestedActions?.actions ?? [];
  for (const action of actions) {
    if (action.type !== 'imBack' || action.value !== action.title) throw new Error(`not an imBack of its label: ${JSON.stringify(action)}`);
  }
  return actions.map((action) => action.title);
}

/** A logger whose records the test can read. */
export function recordingLogger(): { logger: Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => records.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, records };
}
