/**
 * The chat page and the local Direct Line behind it, as routes for the server. On by default only
 * when the bot has no Bot Framework app id (local use): the local Direct Line hands activities to the
 * bot without any Bot Framework authentication, so a deployed bot turns it on only on purpose
 * (DIRECTLINE_ENABLED=true). See "The chat page" in README.md.
 */
import type { ActivityHandlerBase, CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { Engine } from '../../engine/engine.js';
import { botBridge } from '../directline/botBridge.js';
import { DEFAULT_CONVERSATION_LIMITS, type ConversationLimits } from '../directline/conversations.js';
import { directLineRoutes, type DirectLineLimits, type DirectLineOptions } from '../directline/routes.js';
import type { BotSettings, DirectLineSettings } from '../shared/settings.js';
import type { RouteRegistrar } from '../http/server.js';
import type { SharedState } from '../state/sharedState.js';
import { ARTICLE_PATH, webChatPageRoutes, type WebChatPageOptions } from './page.js';

export interface LocalWebChatOptions extends Pick<DirectLineOptions, 'conversations' | 'pollHoldMs'>, Pick<WebChatPageOptions, 'root'> {
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  engine: Engine;
  logger: Logger;
  /** Where conversations and the limit on starting them are kept. */
  state: Pick<SharedState, 'directLineStore' | 'limiter'>;
}

export interface LocalWebChatSettings {
  bot: Pick<BotSettings, 'credentials'>;
  directLine: DirectLineSettings;
}

/** The routes of the page and its Direct Line, or none when the local Direct Line is off. */
export function localWebChatRoutes(settings: LocalWebChatSettings, { adapter, bot, engine, logger, root, state, ...directLine }: LocalWebChatOptions): RouteRegistrar[] {
  if (!settings.directLine.enabled) return [];
  const runTurn = botBridge({ adapter, bot, credentials: settings.bot.credentials, articlePath: ARTICLE_PATH });
  const limits = directLineLimits(settings.directLine);
  return [
    directLineRoutes({
      runTurn,
      logger,
      conversations: state.directLineStore(conversationLimits(settings.directLine)),
      limits,
      starts: state.limiter('directline-starts', limits.conversationsPerMinute),
      ...directLine,
    }),
    webChatPageRoutes({
      frameAncestors: settings.directLine.frameAncestors,
      emergencyNumber: engine.settings.emergencyNumber,
      root,
      sentences: engine.content.sentences,
    }),
  ];
}

function conversationLimits({ maxConversations, conversationBytes }: DirectLineSettings): ConversationLimits {
  return { ...DEFAULT_CONVERSATION_LIMITS, maxConversations, conversationBytes };
}

function directLineLimits({ conversationsPerMinute, pollsPerClient, pollsPerConversation }: DirectLineSettings): DirectLineLimits {
  return { conversationsPerMinute, pollsPerClient, pollsPerConversation };
}
