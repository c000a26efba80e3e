/**
 * What the server says once it listens. A person who ran `npm start` in a terminal gets the addresses
 * to open as plain lines; anything else reading standard output (a container's log collector, a test)
 * gets the same as JSON log lines, like every other line the server writes.
 */
import type { Logger } from 'pino';
import { isUnspecified } from './localAddresses.js';

export interface StartDetails {
  /** The server's base URL, as restify reports it (e.g. http://127.0.0.1:3978). */
  url: string;
  anonymous: boolean;
  chatPage: boolean;
  contentVersion: string;
}

/** Where the notice goes: standard output, which is a terminal or not. */
export type Output = Pick<NodeJS.WriteStream, 'isTTY' | 'write'>;

export function announceStart(details: StartDetails, logger: Logger, output: Output = process.stdout): void {
  if (output.isTTY) output.write(`${startLines(details).join('\n')}\n`);
  else logStart(details, logger);
}

/** The lines for a person: where to chat, where channels post, and how to connect the Bot Framework Emulator. */
export function startLines({ url, anonymous, chatPage }: StartDetails): string[] {
  const base = urlForPeople(url);
  const endpoint = `${base}/api/messages`;
  const credentials = anonymous ? 'leave the Microsoft App ID and password empty' : "enter the bot's Microsoft App ID and password";
  return [
    `The clonazepam FAQ assistant is running: ${modeOf(anonymous, chatPage)}.`,
    ...(chatPage ? [`  Chat page:               ${base}/`] : []),
    `  Bot Framework endpoint:  ${endpoint}`,
    `  Bot Framework Emulator:  Open Bot, Bot URL ${endpoint}, ${credentials}`,
    'Stop with Ctrl+C.',
  ];
}

function logStart({ url, anonymous, chatPage, contentVersion }: StartDetails, logger: Logger): void {
  logger.info({ contentVersion, mode: modeOf(anonymous, chatPage) }, `bot listening on ${url}/api/messages`);
  if (chatPage) logger.info(`chat page on ${url}/`);
}

/** A server listening on every interface (0.0.0.0, ::) is reached from this machine as localhost. */
function urlForPeople(url: string): string {
  const parsed = new URL(url);
  if (isUnspecified(parsed.hostname)) parsed.hostname = 'localhost';
  return parsed.origin;
}

/** How the server is reached: with tokens checked or not, and through the local chat page too. */
function modeOf(anonymous: boolean, chatPage: boolean): string {
  const callers = chatPage ? 'Emulator and local chat page' : 'Emulator only';
  return anonymous ? `anonymous (${callers})` : chatPage ? 'authenticated, with the unauthenticated local chat page' : 'authenticated';
}
