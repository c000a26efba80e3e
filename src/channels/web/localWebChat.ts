/**
 * The chat page and the local Direct Line behind it, as routes for the server. On by default only
 * when the bot has no Bot Framework app id (local use): the local Direct Line hands activities to the
 * bot without any Bot Framework authentication, so a deployed bot turns it on only on purpose
 * (DIRECTLINE_ENABLED=true). See "The chat page" in README.md.
 */
import type { ActivityHandlerBase, CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { Engine } from '../../engine/engine.js';
import { botCredentialsFrom } from '../bot/adapter.js';
import { botBridge } from '../directline/botBridge.js';
import { DEFAULT_CONVERSATION_LIMITS, type ConversationLimits } from '../directline/conversations.js';
import { directLineRoutes, type DirectLineLimits, type DirectLineOptions } from '../directline/routes.js';
import { channelSettingsFrom, type ChannelSettings } from '../shared/channelSettings.js';
import type { RouteRegistrar } from '../http/server.js';
import type { SharedState } from '../state/sharedState.js';
import { ARTICLE_PATH, webChatPageRoutes, type WebChatPageOptions } from './page.js';
import { frameAncestorsFrom } from './securityHeaders.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface LocalWebChatOptions extends Pick<DirectLineOptions, 'conversations' | 'pollHoldMs'>, Pick<WebChatPageOptions, 'root'> {
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  engine: Engine;
  logger: Logger;
  /** Where conversations and the limit on starting them are kept. */
  state: Pick<SharedState, 'directLineStore' | 'limiter'>;
}

export function localWebChatEnabled(env: Env): boolean {
  const setting = env.DIRECTLINE_ENABLED?.trim().toLowerCase();
  if (!setting) return !botCredentialsFrom(env).MicrosoftAppId;
  if (setting === 'true' || setting === 'false') return setting === 'true';
  throw new Error(`DIRECTLINE_ENABLED must be true or false, got "${env.DIRECTLINE_ENABLED}"`);
}

/** The routes of the page and its Direct Line, or none when the local Direct Line is off. */
export function localWebChatRoutes(env: Env, { adapter, bot, engine, logger, root, state, ...directLine }: LocalWebChatOptions): RouteRegistrar[] {
  if (!localWebChatEnabled(env)) return [];
  const runTurn = botBridge({ adapter, bot, credentials: botCredentialsFrom(env), articlePath: ARTICLE_PATH });
  const settings = channelSettingsFrom(env);
  const limits = directLineLimits(settings);
  return [
    directLineRoutes({
      runTurn,
      logger,
      conversations: state.directLineStore(conversationLimits(settings)),
      limits,
      starts: state.limiter('directline-starts', limits.conversationsPerMinute),
      ...directLine,
    }),
    webChatPageRoutes({
      frameAncestors: frameAncestorsFrom(env.WEBCHAT_FRAME_ANCESTORS),
      emergencyNumber: engine.settings.emergencyNumber,
      root,
      sentences: engine.content.sentences,
    }),
  ];
}

function conversationLimits(settings: ChannelSettings): ConversationLimits {
  return {
    ...DEFAULT_CONVERSATION_LIMITS,
    maxConversations: settings.directLineMaxConversations,
    conversationBytes: settings.directLineConversationBytes,
  };
}

function directLineLimits(settings: ChannelSettings): DirectLineLimits {
  return {
    conversationsPerMinute: settings.directLineConversationsPerMinute,
    pollsPerClient: settings.directLinePollsPerClient,
    pollsPerConversation: settings.directLinePollsPerConversation,
  };
}
