/**
 * The bot posts its replies to the activity's serviceUrl. One that names this server makes the bot
 * post to itself, and each of those posts makes it post again, without end.
 */
import type { AddressInfo } from 'node:net';
import { isThisMachine } from './localAddresses.js';

/** Why the serviceUrl is refused, or undefined when the bot may post to it. */
export function serviceUrlProblem(serviceUrl: string, server: Pick<AddressInfo, 'port'>): string | undefined {
  const url = URL.canParse(serviceUrl) ? new URL(serviceUrl) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return 'the serviceUrl must be an http or https URL';
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (port === server.port && isThisMachine(url.hostname)) return 'the serviceUrl points at this server';
  return undefined;
}
