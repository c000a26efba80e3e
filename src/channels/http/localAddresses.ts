/** The names and addresses by which this machine reaches itself. */
import { isIP, type AddressInfo } from 'node:net';
import type { Server } from 'restify';
import { networkInterfaces } from 'node:os';

/** `localhost` (and its subdomains, which resolve to loopback), 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackName(hostname: string): boolean {
  const host = withoutBrackets(hostname).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const ipv4 = host.replace(/^::ffff:/, '');
  return (isIP(ipv4) === 4 && ipv4.startsWith('127.')) || host === '::1';
}

/** Whether `hostname` names this machine: loopback, an unspecified address (0.0.0.0, ::) or an address of one of its interfaces. */
export function isThisMachine(hostname: string): boolean {
  const host = withoutBrackets(hostname).toLowerCase();
  return isLoopbackName(host) || isUnspecified(host) || interfaceAddresses().has(host);
}

export function isUnspecified(hostname: string): boolean {
  const host = withoutBrackets(hostname);
  return host === '0.0.0.0' || host === '::';
}

export function interfaceAddresses(): Set<string> {
  return new Set(Object.values(networkInterfaces()).flatMap((addresses) => (addresses ?? []).map(({ address }) => address.toLowerCase())));
}

export function withoutBrackets(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** The address the server is bound to, remembered from the first request: a closing server reports none, while it still answers. */
export function boundAddress(server: Server): () => Pick<AddressInfo, 'address' | 'port'> {
  let bound: Pick<AddressInfo, 'address' | 'port'> | undefined;
  return () => (bound ??= server.address());
}
