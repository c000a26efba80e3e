/**
 * The activities the local Direct Line exchanges: what a client may send (checked), what the bot
 * receives (with the fields a channel owns filled in by the channel, not the client), and the bot's
 * replies as the client receives them.
 */
import { randomUUID } from 'node:crypto';
import { ActivityTypes, RoleTypes, type Activity, type ChannelAccount, type ConversationAccount } from 'botbuilder';
import { z } from 'zod';

/** The channel id Azure's Direct Line uses too: the bot cannot tell the local page from Web Chat in Azure. */
export const CHANNEL_ID = 'directline';

/** The bot, as the members of a conversation see it. */
export const BOT_ACCOUNT: ChannelAccount = { id: 'assistant', name: 'Assistant', role: RoleTypes.Bot };

const accountSchema = z.looseObject({
  id: z.string().min(1).max(128).optional(),
  name: z.string().max(128).optional(),
});

/** The body of "start a conversation": optional; Web Chat sends the user it chose and its locale. */
export const startRequestSchema = z.looseObject({ user: accountSchema.optional(), locale: z.string().max(64).optional() }).optional();

/**
 * A client may send messages, events and typing; membership changes and the like are the channel's to
 * send. Only the fields Web Chat sends and the bot reads are kept (any other is dropped, so a client
 * cannot park data in the conversation's history); `from` is checked but replaced by the channel.
 */
export const postedActivitySchema = z.object({
  type: z.enum([ActivityTypes.Message, ActivityTypes.Event, ActivityTypes.Typing]),
  text: z.string().optional(),
  textFormat: z.string().max(16).optional(),
  locale: z.string().max(64).optional(),
  localTimestamp: z.string().max(64).optional(),
  localTimezone: z.string().max(64).optional(),
  /** An event's name. */
  name: z.string().max(256).optional(),
  /** A card submission or an event's payload: the bot reads it, the history does not keep it. */
  value: z.unknown().optional(),
  from: accountSchema.optional(),
  /** Web Chat matches the echo of what it sent by this id. */
  channelData: z.object({ clientActivityID: z.string().max(128).optional() }).optional(),
});

/** The most characters of a message's text its echo in the history keeps; the bot gets the whole text. */
export const ECHO_TEXT_CHARS = 4000;

export type PostedActivity = z.infer<typeof postedActivitySchema>;

/** Where an activity belongs: filled in by the channel for every activity it hands to the bot. */
export interface ChannelAddress {
  conversationId: string;
  user: ChannelAccount;
  serviceUrl: string;
}

/** The user of a new conversation: the id the client asked for, or a fresh one (Direct Line's are "dl_..."). */
export function userAccount(requested: z.infer<typeof accountSchema> = {}): ChannelAccount {
  return { id: requested.id ?? `dl_${randomUUID()}`, name: requested.name ?? 'User', role: RoleTypes.User };
}

/** The user's activity as the bot receives it: the client's content, the channel's addressing. */
export function fromUser({ from: _claimed, ...posted }: PostedActivity, address: ChannelAddress): Partial<Activity> {
  return { ...(posted as Partial<Activity>), ...userToBot(address) };
}

/** The user's activity as the history keeps it and the client sees it echoed: without `value`, its text cut to ECHO_TEXT_CHARS. */
export function echoOf({ value: _kept, ...activity }: Partial<Activity>): Partial<Activity> {
  if (typeof activity.text !== 'string' || activity.text.length <= ECHO_TEXT_CHARS) return activity;
  return { ...activity, text: `${activity.text.slice(0, ECHO_TEXT_CHARS - 1)}…` };
}

/** What the bot is told when a conversation starts: the user joined. */
export function userJoined(address: ChannelAddress): Partial<Activity> {
  return { type: ActivityTypes.ConversationUpdate, membersAdded: [address.user], ...userToBot(address) };
}

/** A reply as the client receives it: from the bot, timestamped now. */
export function fromBot(reply: Partial<Activity>): Partial<Activity> {
  return { ...reply, from: BOT_ACCOUNT, timestamp: new Date() };
}

function userToBot({ conversationId, user, serviceUrl }: ChannelAddress): Partial<Activity> {
  // Direct Line names a conversation by its id alone (ConversationAccount's other fields are for group channels).
  const conversation = { id: conversationId } as ConversationAccount;
  return { channelId: CHANNEL_ID, serviceUrl, conversation, from: user, recipient: BOT_ACCOUNT, timestamp: new Date() };
}
