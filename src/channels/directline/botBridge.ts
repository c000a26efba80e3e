/**
 * Hands a Direct Line activity to the bot through the same CloudAdapter as every other channel, as
 * an `expectReplies` turn, and returns the replies the adapter buffered. The request comes from this
 * server itself, so there is no Bot Framework token to check: the bridge builds the authentication
 * result a checked token would have given (the bot's own app id, if any).
 */
import {
  ConfigurationBotFrameworkAuthentication,
  DeliveryModes,
  type Activity,
  type ActivityHandlerBase,
  type CloudAdapter,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity, type AuthenticateRequestResult } from 'botframework-connector';
import { ARTICLE_VIEW } from '../bot/reply.js';

/** Runs one bot turn for an activity and returns the bot's replies. */
export type BotTurn = (activity: Partial<Activity>) => Promise<Partial<Activity>[]>;

export interface BotBridgeOptions {
  adapter: CloudAdapter;
  bot: ActivityHandlerBase;
  /** The bot's Bot Framework credentials (none when it runs anonymously). */
  credentials: ConfigurationBotFrameworkAuthenticationOptions;
  /** The path of the article view this server serves: the replies' sources link to it. */
  articlePath: string;
}

export function botBridge({ adapter, bot, credentials, articlePath }: BotBridgeOptions): BotTurn {
  const authentication = localAuthentication(credentials);
  return async (activity) => {
    // The context is revoked once the turn is over, but the array of buffered replies it held stays ours
    // (it also gets the apology onTurnError sends if the turn fails).
    let replies: Partial<Activity>[] = [];
    const expectingReplies = { ...activity, deliveryMode: DeliveryModes.ExpectReplies } as Activity;
    await adapter.processActivityDirect(authentication, expectingReplies, async (context) => {
      replies = context.bufferedReplyActivities;
      context.turnState.set(ARTICLE_VIEW, articlePath);
      await bot.run(context);
    });
    return replies;
  };
}

/** What authenticating a request from the bot's own channel yields: claims for the bot's app id (none if anonymous). */
function localAuthentication(credentials: ConfigurationBotFrameworkAuthenticationOptions): AuthenticateRequestResult {
  const appId = credentials.MicrosoftAppId;
  const claims = appId
    ? [
        { type: AuthenticationConstants.AudienceClaim, value: appId },
        { type: AuthenticationConstants.AppIdClaim, value: appId },
      ]
    : [];
  const claimsIdentity = new ClaimsIdentity(claims, appId ? true : AuthenticationConstants.AnonymousAuthType);
  return {
    audience: AuthenticationConstants.ToChannelFromBotOAuthScope,
    claimsIdentity,
    connectorFactory: new ConfigurationBotFrameworkAuthentication(credentials).createConnectorFactory(claimsIdentity),
  };
}
