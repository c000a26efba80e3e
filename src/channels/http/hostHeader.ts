/**
 * restify 12 builds a URL from the Host header, and one that URLs cannot hold (`foo|bar`, a space)
 * throws out of its request handling and ends the process (restify issue #2011). Running before
 * routing, this answers such a request 400 instead. A request without Host (HTTP/1.0) passes.
 */
import type { Next, Request, Response } from 'restify';
import { ClientError, sendError } from './errors.js';

/** A DNS name or IPv4 address (letters, digits, '-', '.', '_') or a bracketed IPv6 address, then an optional port. */
const HOST = /^(?:[a-z0-9._-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
/** 253 characters of DNS name, a colon and five digits. */
const MAX_HOST_LENGTH = 259;

export function rejectMalformedHost(req: Request, res: Response, next: Next): void {
  const host = req.headers.host;
  if (host === undefined || (host.length <= MAX_HOST_LENGTH && HOST.test(host))) return next();
  sendError(res, new ClientError(400, 'BadRequest', 'the Host header is not a host name or address with an optional port'));
  return next(false);
}
