/**
 * The CloudAdapter, authenticated from the environment. Without MicrosoftAppId it runs anonymously
 * (for the Bot Framework Emulator); with one, every request must carry a valid Bot Framework token.
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type TurnContext,
} from 'botbuilder';

const CREDENTIAL_SETTINGS = ['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppType', 'MicrosoftAppTenantId'] as const;

/** The Bot Framework credentials set in the environment; blank values count as unset. */
export function botCredentialsFrom(env: NodeJS.ProcessEnv): ConfigurationBotFrameworkAuthenticationOptions {
  const entries = CREDENTIAL_SETTINGS.map((name) => [name, env[name]?.trim()] as const).filter(([, value]) => value);
  return Object.fromEntries(entries);
}

export function createAdapter(env: NodeJS.ProcessEnv, onTurnError: (context: TurnContext, error: Error) => Promise<void>): CloudAdapter {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(botCredentialsFrom(env)));
  adapter.onTurnError = onTurnError;
  return adapter;
}
