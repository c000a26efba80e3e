import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/channels/shared/loadEngine.js';
import { createLogger } from '../../src/channels/shared/logger.js';
import { RateLimiter } from '../../src/channels/shared/rateLimiter.js';
import { botCredentialsSchema, directLineSchema, logSchema, reviewSchema, serverSchema, settingsFrom, stateSchema } from '../../src/channels/shared/settings.js';
import { SettingsError } from '../../src/content/envValues.js';
import { ENGINE_VARIABLES } from '../../src/content/settings.js';

const APP_ID = '00000000-0000-4000-8000-000000000001';

/** The problems settingsFrom reports for `env`, or none. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    settingsFrom(env);
    return [];
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
}

describe('.env.example', () => {
  const example = readFileSync(join(PROJECT_ROOT, '.env.example'), 'utf8');
  const schemas = [botCredentialsSchema, serverSchema, logSchema, directLineSchema, stateSchema, reviewSchema];
  const names = [...schemas.flatMap((schema) => Object.keys(schema.shape)), ...Object.keys(ENGINE_VARIABLES)];

  it('documents every setting of the schema, and sets only those', () => {
    for (const name of names) expect(example).toMatch(new RegExp(`\\b${name}\\b`));
    expect(Object.keys(parse(example)).filter((name) => !names.includes(name))).toEqual([]);
  });

  it('holds the defaults', () => {
    expect(settingsFrom(parse(example))).toEqual(settingsFrom({}));
  });
});

describe('settingsFrom', () => {
  it('has a default for every setting', () => {
    expect(settingsFrom({})).toEqual({
      bot: { credentials: {}, anonymous: true },
      server: { port: 3978, host: '127.0.0.1', maxBodyBytes: 65_536, rateLimitPerMinute: 30, connectorTimeoutMs: 5000 },
      log: { level: 'info', questions: false },
      directLine: {
        enabled: true,
        frameAncestors: "'self'",
        maxConversations: 1000,
        conversationBytes: 65_536,
        conversationsPerMinute: 100,
        pollsPerClient: 20,
        pollsPerConversation: 2,
      },
      state: { redisUrl: undefined, conversationTtlHours: 24, conversationsInMemory: 100_000 },
      review: { log: undefined, maxEntries: 10_000, retentionDays: 30, confidenceBelow: 0.5 },
      engine: { emergencyNumber: '911', crisisLine: '988', poisonControl: '1-800-222-1222', region: 'the US', maxQuestionLength: 2000 },
    });
  });

  it('takes blank values (empty or spaces) as unset, and trims the others', () => {
    expect(settingsFrom({ PORT: '', MAX_BODY_BYTES: '  ', MicrosoftAppId: ' ', REDIS_URL: ' redis://127.0.0.1:6400 ' })).toMatchObject({
      server: { port: 3978, maxBodyBytes: 65_536 },
      bot: { anonymous: true },
      state: { redisUrl: 'redis://127.0.0.1:6400' },
    });
  });

  it('reads each concern from its variables', () => {
    const env = {
      PORT: '8080',
      HOST: '0.0.0.0',
      MAX_BODY_BYTES: '1000',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_QUESTIONS: 'TRUE',
      LOG_LEVEL: 'warn',
      CONVERSATIONS_IN_MEMORY: '50',
      REDIS_URL: 'redis://127.0.0.1:6400',
      CONVERSATION_TTL_HOURS: '2',
      REVIEW_LOG: 'redis',
      REVIEW_MAX_ENTRIES: '50',
      REVIEW_RETENTION_DAYS: '7',
      REVIEW_CONFIDENCE_BELOW: '0.8',
      DIRECTLINE_POLLS_PER_CLIENT: '0',
      WEBCHAT_FRAME_ANCESTORS: 'self https://a.example.org',
      MAX_QUESTION_LENGTH: '300',
    };
    expect(settingsFrom(env)).toMatchObject({
      server: { port: 8080, host: '0.0.0.0', maxBodyBytes: 1000, rateLimitPerMinute: 0 },
      log: { level: 'warn', questions: true },
      state: { redisUrl: 'redis://127.0.0.1:6400', conversationTtlHours: 2, conversationsInMemory: 50 },
      review: { log: { redisUrl: 'redis://127.0.0.1:6400' }, maxEntries: 50, retentionDays: 7, confidenceBelow: 0.8 },
      directLine: { pollsPerClient: 0, frameAncestors: "'self' https://a.example.org" },
      engine: { maxQuestionLength: 300 },
    });
    expect(settingsFrom({ REVIEW_LOG: 'reports/review-log.jsonl' }).review.log).toEqual({ file: 'reports/review-log.jsonl' });
  });

  it('with a MicrosoftAppId, listens on every interface and keeps the local Direct Line off unless DIRECTLINE_ENABLED says otherwise', () => {
    expect(settingsFrom({ MicrosoftAppId: APP_ID })).toMatchObject({
      bot: { credentials: { MicrosoftAppId: APP_ID }, anonymous: false },
      server: { host: '0.0.0.0' },
      directLine: { enabled: false },
    });
    expect(settingsFrom({ MicrosoftAppId: APP_ID, DIRECTLINE_ENABLED: 'true', HOST: '127.0.0.1' })).toMatchObject({ server: { host: '127.0.0.1' }, directLine: { enabled: true } });
    expect(settingsFrom({ DIRECTLINE_ENABLED: 'false' }).directLine.enabled).toBe(false);
  });

  // Each bound with a value just inside it (accepted) and one just outside (refused, naming the variable).
  it.each([
    ['MAX_QUESTION_LENGTH', '1', '0'],
    ['MAX_BODY_BYTES', '1', '0'],
    ['CONNECTOR_TIMEOUT_MS', '1', '0'],
    ['CONNECTOR_TIMEOUT_MS', '2147483647', '2147483648'],
    ['CONVERSATION_TTL_HOURS', '1', '0'],
    ['REVIEW_MAX_ENTRIES', '1', '0'],
    ['REVIEW_RETENTION_DAYS', '1', '0'],
    ['DIRECTLINE_MAX_CONVERSATIONS', '1', '0'],
    ['DIRECTLINE_CONVERSATION_BYTES', '1', '0'],
    ['PORT', '0', '-1'],
    ['PORT', '65535', '65536'],
    ['RATE_LIMIT_PER_MINUTE', '0', '-1'],
    ['CONVERSATIONS_IN_MEMORY', '0', '-1'],
    ['DIRECTLINE_CONVERSATIONS_PER_MINUTE', '0', '-1'],
    ['DIRECTLINE_POLLS_PER_CLIENT', '0', '-1'],
    ['DIRECTLINE_POLLS_PER_CONVERSATION', '0', '-1'],
    ['MAX_BODY_BYTES', '65536', '64 KB'],
    ['RATE_LIMIT_PER_MINUTE', '30', '2.5'],
    ['REVIEW_CONFIDENCE_BELOW', '0', '-0.1'],
    ['REVIEW_CONFIDENCE_BELOW', '1', '1.1'],
    ['REVIEW_CONFIDENCE_BELOW', '0.5', 'half'],
    ['LOG_QUESTIONS', 'false', 'sometimes'],
    ['DIRECTLINE_ENABLED', 'true', 'yes please'],
    ['LOG_LEVEL', 'silent', 'verbose'],
    ['REDIS_URL', 'rediss://cache.example.org:6380', 'localhost:6379'],
    ['REDIS_URL', 'redis://127.0.0.1:6379', 'http://127.0.0.1:6379'],
    ['MicrosoftAppId', APP_ID, 'my-bot'],
    ['MicrosoftAppType', 'SingleTenant', 'singletenant'],
    ['WEBCHAT_FRAME_ANCESTORS', "'none'", "'self'; script-src *"],
  ])('%s accepts %j and refuses %j', (name, accepted, refused) => {
    const needs: Record<string, string> = name === 'MicrosoftAppType' ? { MicrosoftAppTenantId: 'tenant' } : {};
    expect(problemsOf({ ...needs, [name]: accepted })).toEqual([]);
    const problems = problemsOf({ ...needs, [name]: refused });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${name}\\b`));
  });

  it('reports every bad setting together, once each, in one message that says what is wrong', () => {
    const attempt = () => settingsFrom({ MAX_QUESTION_LENGTH: '0', MAX_BODY_BYTES: '-5', PORT: 'eighty', REVIEW_CONFIDENCE_BELOW: '2', LOG_QUESTIONS: 'maybe' });
    expect(attempt).toThrow(SettingsError);
    expect(attempt).toThrow(
      [
        '5 settings are wrong (environment or .env; see .env.example):',
        '  PORT="eighty": must be a whole number from 0 to 65535',
        '  MAX_BODY_BYTES="-5": must be a whole number, at least 1',
        '  LOG_QUESTIONS="maybe": must be true or false',
        '  REVIEW_CONFIDENCE_BELOW="2": must be a number from 0 to 1',
        '  MAX_QUESTION_LENGTH="0": must be a whole number, at least 1',
      ].join('\n'),
    );
  });

  it('checks the settings that depend on each other', () => {
    expect(problemsOf({ REVIEW_LOG: 'redis' })).toEqual(['REVIEW_LOG="redis": "redis" needs REDIS_URL']);
    expect(problemsOf({ MicrosoftAppType: 'UserAssignedMSI' })).toEqual(['MicrosoftAppTenantId="": is required when MicrosoftAppType is UserAssignedMSI']);
    expect(
      problemsOf({
        ToChannelFromBotLoginUrl: 'https://login.example.org',
        ToChannelFromBotOAuthScope: 'https://api.example.org',
        ToBotFromChannelTokenIssuer: 'https://api.example.org',
      }),
    ).toEqual([
      'ToBotFromChannelOpenIdMetadataUrl="": is required once any of the cloud endpoints is set',
      'ToBotFromEmulatorOpenIdMetadataUrl="": is required once any of the cloud endpoints is set',
    ]);
  });

  it('does not repeat the values of secrets', () => {
    expect(problemsOf({ REDIS_URL: 'redis//:hunter2@cache:6379' })).toEqual(['REDIS_URL: must be a redis:// or rediss:// URL']);
  });
});

describe('createLogger', () => {
  it('logs JSON lines at LOG_LEVEL with credentials and tokens redacted', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('warn', destination);
    logger.info('not at this level');
    logger.warn({ req: { headers: { authorization: 'Bearer secret-token' } }, MicrosoftAppPassword: 'secret-password', token: 'secret-dl-token' }, 'request');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({ req: { headers: { authorization: '[redacted]' } }, MicrosoftAppPassword: '[redacted]', token: '[redacted]' });
  });
});

describe('RateLimiter', () => {
  it('allows perMinute events per key in each minute, with the seconds left until the window resets', () => {
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    expect([limiter.take('a'), limiter.take('a')].map((verdict) => verdict.allowed)).toEqual([true, true]);
    now = 15_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(limiter.take('b').allowed).toBe(true);
    now = 60_000;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('is off at 0 per minute', () => {
    const limiter = new RateLimiter(0);
    expect(Array.from({ length: 1000 }, () => limiter.take('a').allowed).every(Boolean)).toBe(true);
  });
});
