/** What a message asks, as the bot reads it, and whether its answer is one that no limit may withhold. */
import { ActivityTypes, type Activity, type Mention } from 'botbuilder';
import type { Engine } from '../../engine/engine.js';

/**
 * Whether a request body, read but not yet checked, is a message the engine answers with a crisis
 * reply. Only the engine's answer decides, from the question the bot would read.
 */
export function isCrisisMessage(engine: Engine, body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const activity = body as Activity;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-comparison -- Activity.type is declared a string; it holds ActivityTypes values
  return activity.type === ActivityTypes.Message && engine.isCrisis(engine.answer(questionOf(activity)));
}

/**
 * What a message asks: its text without the bot's @mentions (Teams channels and group chats), or,
 * when there is no text, a card submission's `text` or `question` field (or a string value).
 * Empty when there is nothing to read (attachments only): the engine answers that politely.
 */
export function questionOf(activity: Activity): string {
  const typed = withoutBotMentions(activity);
  if (typed.trim() !== '') return typed;
  return submittedText(activity.value) ?? typed;
}

/** Like TurnContext.removeRecipientMention, but removes every mention of the bot and tolerates text-less activities and malformed entities. */
function withoutBotMentions(activity: Activity): string {
  const botId = activity.recipient?.id;
  const entities: unknown[] = Array.isArray(activity.entities) ? activity.entities : [];
  const mentionTexts = entities.filter((entity) => isMentionOf(botId, entity)).map((mention) => mention.text);
  return mentionTexts.reduce((text, mention) => text.replaceAll(mention, ''), typeof activity.text === 'string' ? activity.text : '').trim();
}

function isMentionOf(id: string | undefined, entity: unknown): entity is Mention {
  const mention = entity as Partial<Mention> | null;
  return mention?.type === 'mention' && mention.mentioned?.id === id && typeof mention.text === 'string' && mention.text !== '';
}

function submittedText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) return undefined;
  const { text, question } = value as Record<string, unknown>;
  return [text, question].find((field): field is string => typeof field === 'string');
}
