/**
 * The bot posts its replies to the activity's serviceUrl. One that names this server makes the bot
 * post to itself, and each of those posts makes it post again, without end.
 */
import { lookup } from 'node:dns/promises';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { isThisMachine, withoutBrackets } from './localAddresses.js';

const POINTS_HERE = 'the serviceUrl points at this server';

/** Why the serviceUrl is refused, or undefined when the bot may post to it. */
export async function serviceUrlProblem(serviceUrl: string, server: Pick<AddressInfo, 'port'>, logger: Logger): Promise<string | undefined> {
  const url = URL.canParse(serviceUrl) ? new URL(serviceUrl) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return 'the serviceUrl must be an http or https URL';
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  if (port !== server.port) return undefined;
  if (isThisMachine(url.hostname)) return POINTS_HERE;
  return resolvedProblem(withoutBrackets(url.hostname), logger);
}

/**
 * A name can point here too ("localhost.", this machine's own name): it is resolved, every address,
 * at the time of the check. The HTTP client resolves it again when the bot posts, so a name whose
 * answers change in between (DNS rebinding) still gets past. Only a serviceUrl on this server's
 * port gets here, so a channel's own service (https, port 443) costs no lookup.
 */
async function resolvedProblem(hostname: string, logger: Logger): Promise<string | undefined> {
  try {
    const addresses = await lookup(hostname, { all: true });
    return addresses.some(({ address }) => isThisMachine(address)) ? POINTS_HERE : undefined;
  } catch (error) {
    logger.warn({ hostname, code: (error as NodeJS.ErrnoException).code }, 'serviceUrl refused: its host name could not be resolved');
    return 'the serviceUrl host name could not be resolved';
  }
}
