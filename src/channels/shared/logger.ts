/** The structured logger (pino): JSON lines; credentials and tokens are redacted wherever they appear. */
import { pino, type Logger } from 'pino';

const REDACTED_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function createLogger(env: NodeJS.ProcessEnv, destination?: NodeJS.WritableStream): Logger {
  const options = { level: env.LOG_LEVEL?.trim() || 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
