/** The structured logger (pino): JSON lines; credentials and tokens are redacted wherever they appear. */
import { format } from 'node:util';
import { pino, type Logger } from 'pino';
import { SampledLog } from './sampledLog.js';
import type { LogLevel } from './settings.js';

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

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
const CONSOLE_LINES_PER_MINUTE = 60;

/**
 * Sends what libraries print on the console through the logger instead, as sampled warnings:
 * botframework-connector prints a line (or a stack trace) for some refused tokens, which any client
 * can send as fast as it likes, and none of it would otherwise be structured, redacted or bounded.
 */
export function routeConsoleToLogger(logger: Logger): void {
  const consoleLogger = logger.child({ component: 'console' });
  const sampled = new SampledLog(CONSOLE_LINES_PER_MINUTE);
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => sampled.write((suppressed) => consoleLogger.warn({ method, suppressed }, format(...args)));
  }
}
