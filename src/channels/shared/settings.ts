/**
 * Every setting (see .env.example), read once at start: one schema per concern, composed with the
 * engine's (src/content/settings.ts) into one typed object. All bad settings are reported together.
 */
import { z } from 'zod';
import {
  flag,
  fraction,
  oneOf,
  optionalFlag,
  optionalMatching,
  optionalOneOf,
  optionalText,
  optionalUrl,
  parseSettings,
  variablesSchema,
  wholeNumber,
} from '../../content/envSettings.js';
import type { Env } from '../../content/envValues.js';
import { ENGINE_VARIABLES, engineSettingsOf } from '../../content/settings.js';
import { frameAncestorsFrom } from '../web/securityHeaders.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HTTP_URL = [/^https?$/, 'an http:// or https:// URL'] as const;
/** The largest delay setTimeout accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Whose values a message about bad settings does not repeat. */
const SECRETS = ['MicrosoftAppPassword', 'REDIS_URL'];

/** botbuilder's endpoints of the cloud: set one and the SDK uses none of its defaults, so all must be set. */
const CLOUD_ENDPOINTS = [
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromEmulatorOpenIdMetadataUrl',
] as const;

/** The Bot Framework credentials and cloud endpoints, as botbuilder's ConfigurationBotFrameworkAuthentication takes them (unset ones left out). */
export const botCredentialsSchema = z.object({
  MicrosoftAppId: optionalMatching(GUID, "a GUID (the bot's Microsoft App ID)"),
  MicrosoftAppPassword: optionalText(),
  MicrosoftAppType: optionalOneOf(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']),
  MicrosoftAppTenantId: optionalText(),
  ToChannelFromBotLoginUrl: optionalUrl(...HTTP_URL),
  ToChannelFromBotOAuthScope: optionalText(),
  ToBotFromChannelTokenIssuer: optionalText(),
  ToBotFromChannelOpenIdMetadataUrl: optionalUrl(...HTTP_URL),
  ToBotFromEmulatorOpenIdMetadataUrl: optionalUrl(...HTTP_URL),
});

export const serverSchema = z.object({
  PORT: wholeNumber(3978, { max: 65_535 }),
  HOST: optionalText(),
  MAX_BODY_BYTES: wholeNumber(64 * 1024, { min: 1 }),
  RATE_LIMIT_PER_MINUTE: wholeNumber(30),
  CONNECTOR_TIMEOUT_MS: wholeNumber(5000, { min: 1, max: MAX_TIMER_MS }),
});

export const logSchema = z.object({
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  LOG_QUESTIONS: flag(false),
});

export const directLineSchema = z.object({
  DIRECTLINE_ENABLED: optionalFlag(),
  WEBCHAT_FRAME_ANCESTORS: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return frameAncestorsFrom(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  DIRECTLINE_MAX_CONVERSATIONS: wholeNumber(1000, { min: 1 }),
  DIRECTLINE_CONVERSATION_BYTES: wholeNumber(64 * 1024, { min: 1 }),
  DIRECTLINE_CONVERSATIONS_PER_MINUTE: wholeNumber(100),
  DIRECTLINE_POLLS_PER_CLIENT: wholeNumber(20),
  DIRECTLINE_POLLS_PER_CONVERSATION: wholeNumber(2),
});

export const stateSchema = z.object({
  REDIS_URL: optionalUrl(/^rediss?$/, 'a redis:// or rediss:// URL'),
  CONVERSATION_TTL_HOURS: wholeNumber(24, { min: 1 }),
  CONVERSATIONS_IN_MEMORY: wholeNumber(100_000),
});

export const reviewSchema = z.object({
  REVIEW_LOG: optionalText(),
  REVIEW_MAX_ENTRIES: wholeNumber(10_000, { min: 1 }),
  REVIEW_RETENTION_DAYS: wholeNumber(30, { min: 1 }),
  REVIEW_CONFIDENCE_BELOW: fraction(0.5),
});

const CONCERNS = {
  bot: botCredentialsSchema,
  server: serverSchema,
  log: logSchema,
  directLine: directLineSchema,
  state: stateSchema,
  review: reviewSchema,
  engine: variablesSchema(ENGINE_VARIABLES).transform(engineSettingsOf),
};

type Raw = z.output<z.ZodObject<typeof CONCERNS>>;

/** Rules across settings; each problem names the variable to change. */
function checkAcrossSettings({ bot, review, state }: Raw, context: z.RefinementCtx): void {
  const problem = (concern: string, name: string, message: string) => context.addIssue({ code: 'custom', path: [concern, name], message });
  if (review.REVIEW_LOG === 'redis' && !state.REDIS_URL) problem('review', 'REVIEW_LOG', '"redis" needs REDIS_URL');
  if ((bot.MicrosoftAppType === 'SingleTenant' || bot.MicrosoftAppType === 'UserAssignedMSI') && !bot.MicrosoftAppTenantId) {
    problem('bot', 'MicrosoftAppTenantId', `is required when MicrosoftAppType is ${bot.MicrosoftAppType}`);
  }
  const unsetEndpoints = CLOUD_ENDPOINTS.filter((name) => !bot[name]);
  if (unsetEndpoints.length > 0 && unsetEndpoints.length < CLOUD_ENDPOINTS.length) {
    for (const name of unsetEndpoints) problem('bot', name, 'is required once any of the cloud endpoints is set');
  }
}

function withoutUnset<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** Where REVIEW_LOG sends the review log: a JSON Lines file, or Redis ("redis"; checkAcrossSettings made sure REDIS_URL is set). */
function reviewDestination(reviewLog: string | undefined, redisUrl: string | undefined): { file: string } | { redisUrl: string } | undefined {
  if (reviewLog === undefined) return undefined;
  return reviewLog === 'redis' ? { redisUrl: redisUrl! } : { file: reviewLog };
}

/** The typed settings; the defaults that depend on other settings decided. */
function resolved({ bot, server, log, directLine, state, review, engine }: Raw) {
  const anonymous = !bot.MicrosoftAppId;
  return {
    bot: { credentials: withoutUnset(bot), anonymous },
    server: {
      port: server.PORT,
      // Anonymous, the bot posts replies to any serviceUrl a caller names: loopback only unless HOST says otherwise.
      host: server.HOST ?? (anonymous ? '127.0.0.1' : '0.0.0.0'),
      maxBodyBytes: server.MAX_BODY_BYTES,
      rateLimitPerMinute: server.RATE_LIMIT_PER_MINUTE,
      connectorTimeoutMs: server.CONNECTOR_TIMEOUT_MS,
    },
    log: { level: log.LOG_LEVEL, questions: log.LOG_QUESTIONS },
    directLine: {
      // It hands activities to the bot without Bot Framework authentication: on by default only for local (anonymous) use.
      enabled: directLine.DIRECTLINE_ENABLED ?? anonymous,
      frameAncestors: directLine.WEBCHAT_FRAME_ANCESTORS,
      maxConversations: directLine.DIRECTLINE_MAX_CONVERSATIONS,
      conversationBytes: directLine.DIRECTLINE_CONVERSATION_BYTES,
      conversationsPerMinute: directLine.DIRECTLINE_CONVERSATIONS_PER_MINUTE,
      pollsPerClient: directLine.DIRECTLINE_POLLS_PER_CLIENT,
      pollsPerConversation: directLine.DIRECTLINE_POLLS_PER_CONVERSATION,
    },
    state: { redisUrl: state.REDIS_URL, conversationTtlHours: state.CONVERSATION_TTL_HOURS, conversationsInMemory: state.CONVERSATIONS_IN_MEMORY },
    review: {
      log: reviewDestination(review.REVIEW_LOG, state.REDIS_URL),
      maxEntries: review.REVIEW_MAX_ENTRIES,
      retentionDays: review.REVIEW_RETENTION_DAYS,
      confidenceBelow: review.REVIEW_CONFIDENCE_BELOW,
    },
    engine,
  };
}

/** Each concern's schema reads the whole environment. */
export const settingsSchema = z
  .preprocess((env) => Object.fromEntries(Object.keys(CONCERNS).map((concern) => [concern, env])), z.object(CONCERNS))
  .superRefine(checkAcrossSettings)
  .transform(resolved);

export type Settings = z.output<typeof settingsSchema>;
export type ServerSettings = Settings['server'];
export type BotSettings = Settings['bot'];
export type DirectLineSettings = Settings['directLine'];
export type StateSettings = Settings['state'];
export type ReviewSettings = Settings['review'];
export type ReviewDestination = NonNullable<ReviewSettings['log']>;
export type LogLevel = Settings['log']['level'];

/** All settings from the environment; throws a SettingsError naming every bad one. */
export function settingsFrom(env: Env): Settings {
  return parseSettings(settingsSchema, env, SECRETS);
}
