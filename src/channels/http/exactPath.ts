/**
 * restify's router matches more paths than it names: it stops at a ";" (`/api/messages;x` reaches the
 * bot) and decodes percent-escapes (`/api/%6Dessages`). Every route here is served only on the exact
 * path it names, so nothing that filters or logs by path can be bypassed by an alias.
 */
import type { Next, Request, Response } from 'restify';
import { notFound, sendError } from './errors.js';

/** 404 unless the request's path, as sent, is the matched route's path with its parameters filled in. */
export function requireExactPath(req: Request, res: Response, next: Next): void {
  const route = req.getRoute()?.path;
  if (typeof route !== 'string' || pathAsSent(req) === routePathFor(route, req.params as Record<string, string | undefined>)) return next();
  sendError(res, notFound());
  return next(false);
}

function pathAsSent(req: Request): string {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function routePathFor(route: string, params: Record<string, string | undefined>): string {
  return route.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(String(params[name] ?? '')));
}
