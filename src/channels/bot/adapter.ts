/**
 * The CloudAdapter, authenticated with the Bot Framework settings. Without MicrosoftAppId it runs anonymously
 * (for the Bot Framework Emulator); with one, every request must carry a valid Bot Framework token.
 * Every call the bot makes to a channel's service (its replies) is given up after `connectorTimeoutMs`:
 * a serviceUrl that accepts connections and never answers would otherwise hold the turn, and the
 * request that started it, for minutes.
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import { ConnectorFactory, type AuthenticateRequestResult, type ClaimsIdentity, type ConnectorClient } from 'botframework-connector';
import type { Logger } from 'pino';
import type { BotSettings, ServerSettings } from '../shared/settings.js';

export interface AdapterSettings {
  bot: Pick<BotSettings, 'credentials'>;
  server: Pick<ServerSettings, 'connectorTimeoutMs'>;
}

export function createAdapter({ bot, server }: AdapterSettings, onTurnError: (context: TurnContext, error: Error) => Promise<void>, logger: Logger): BotAdapter {
  const authentication = new TimedConnectorsAuthentication(bot.credentials, { timeoutMs: server.connectorTimeoutMs, logger });
  const adapter = new BotAdapter(authentication);
  adapter.onTurnError = onTurnError;
  return adapter;
}

/**
 * The CloudAdapter with its two steps apart: authenticating a request, then running its turn.
 * CloudAdapter.process does both, prints every refused token's stack trace to the console and
 * answers an unreachable identity provider with 500; the server decides those answers itself.
 */
export class BotAdapter extends CloudAdapter {
  /** Checks the request's token (none needed when anonymous); rejects with botframework-connector's errors. */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return this.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn of an authenticated activity (a JSON body, dates still strings); the response to send, if any (expectReplies, invokes). */
  runAuthenticated(authentication: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authentication, withDates(activity), logic);
  }
}

/** What CloudAdapter.process does to an activity's dates before its turn: Date objects, the strings kept as raw*. */
function withDates(activity: Activity): Activity {
  const fixed = activity as Activity & Record<string, unknown>;
  for (const [field, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    const value = fixed[field];
    if (typeof value !== 'string') continue;
    fixed[raw] = value;
    fixed[field] = new Date(value);
  }
  return fixed;
}

interface ConnectorTimeout {
  timeoutMs: number;
  logger: Logger;
}

/** botbuilder's authentication, whose connector clients give up on a call after the timeout. */
class TimedConnectorsAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    credentials: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly timeout: ConnectorTimeout,
  ) {
    super(credentials);
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await super.authenticateRequest(activity, authHeader);
    return result.connectorFactory ? { ...result, connectorFactory: new TimedConnectorFactory(result.connectorFactory, this.timeout) } : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new TimedConnectorFactory(super.createConnectorFactory(claimsIdentity), this.timeout);
  }
}

/** The part of @azure/core-rest-pipeline a policy needs (botframework-connector builds its clients on it). */
interface PipelineRequest {
  url: string;
  abortSignal?: AbortSignal;
}
interface Pipeline {
  addPolicy(policy: { name: string; sendRequest(request: PipelineRequest, next: (request: PipelineRequest) => Promise<unknown>): Promise<unknown> }): void;
}

class TimedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly inner: ConnectorFactory,
    private readonly timeout: ConnectorTimeout,
  ) {
    super();
  }

  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const client = await this.inner.create(serviceUrl, audience);
    pipelineOf(client).addPolicy({ name: 'connectorTimeout', sendRequest: (request, next) => this.withTimeout(request, next) });
    return client;
  }

  private async withTimeout(request: PipelineRequest, next: (request: PipelineRequest) => Promise<unknown>): Promise<unknown> {
    const { timeoutMs, logger } = this.timeout;
    const timedOut = AbortSignal.timeout(timeoutMs);
    request.abortSignal = request.abortSignal ? AbortSignal.any([request.abortSignal, timedOut]) : timedOut;
    try {
      return await next(request);
    } catch (error) {
      if (!timedOut.aborted) throw error;
      logger.warn({ serviceUrl: new URL(request.url).origin, timeoutMs }, 'a call to the channel service timed out');
      throw new Error(`the channel service did not answer within ${timeoutMs} ms`, { cause: error });
    }
  }
}

/** The request pipeline of a connector client: botframework-connector keeps it in the client's `client` (core-client's ServiceClient). */
function pipelineOf(client: ConnectorClient): Pipeline {
  const pipeline = (client as unknown as { client?: { pipeline?: Partial<Pipeline> } }).client?.pipeline;
  if (typeof pipeline?.addPolicy !== 'function') throw new Error('botframework-connector changed: a connector client has no request pipeline to add the timeout to');
  return pipeline as Pipeline;
}
