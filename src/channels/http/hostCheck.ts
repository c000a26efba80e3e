/**
 * DNS rebinding: a web page on attacker.example can have its name resolve to 127.0.0.1 and then make
 * the browser send requests to this server, which without credentials trusts whoever reaches it. Such
 * requests carry the attacker's name as Host, so an anonymous server answers only requests addressed
 * to it by the name it listens on, `localhost` or an address of this machine.
 */
import type { AddressInfo } from 'node:net';
import type { Next, Request, Response } from 'restify';
import { ClientError, sendError } from './errors.js';
import { interfaceAddresses, isLoopbackName, isUnspecified, withoutBrackets } from './localAddresses.js';

/** 403 unless the Host header names the listen host, `localhost`, a loopback address, or (listening on every interface) an address of this machine. */
export function requireLocalHost(server: () => Pick<AddressInfo, 'address'>, listenHost?: string) {
  let accepted: Set<string> | undefined;
  const acceptedNames = (): Set<string> => {
    accepted ??= namesOf(server, listenHost);
    return accepted;
  };
  return (req: Request, res: Response, next: Next): void => {
    const host = hostnameOf(req.headers.host ?? '');
    if (isLoopbackName(host) || acceptedNames().has(host)) return next();
    sendError(res, new ClientError(403, 'Forbidden', 'this server answers only requests addressed to it as localhost or by its address'));
    return next(false);
  };
}

function namesOf(server: () => Pick<AddressInfo, 'address'>, listenHost: string | undefined): Set<string> {
  const bound = server().address;
  const names = new Set([bound, listenHost].filter((name): name is string => !!name).map((name) => withoutBrackets(name).toLowerCase()));
  return isUnspecified(bound) ? new Set([...names, ...interfaceAddresses()]) : names;
}

/** The host name of a Host header, without its port and the brackets of an IPv6 address. */
function hostnameOf(header: string): string {
  const host = header.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](:\d+)?$/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d+$/, '');
}
