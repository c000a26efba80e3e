/**
 * Reads a request body as JSON, refusing what no Bot Framework channel or Direct Line client sends:
 * a body over the size limit (413), another media type or a content encoding (415), bytes that are
 * not UTF-8, text that is not JSON, nesting deeper than MAX_JSON_DEPTH and the keys that lead to an
 * object's prototype (400). An empty body leaves `req.body` undefined, for the route to judge.
 *
 * restify's own body parser is not used: it crashes the process on a corrupt gzip body, does not
 * bound the size of a decompressed one, and lets any nesting through (a Direct Line echo of it
 * would then fail to serialise on every later poll).
 */
import type { IncomingMessage } from 'node:http';
import type { Next, Request, RequestHandler, Response } from 'restify';
import { ClientError, sendError } from './errors.js';

/** Deeper than any activity: card payloads nest a few levels; this leaves room and keeps recursion elsewhere safe. */
export const MAX_JSON_DEPTH = 64;

/** Keys that reach Object.prototype when code copies an object key by key (`target[key] = value`). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** application/json and the +json types (application/vnd.example+json), any parameters. */
const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function readJsonBody(maxBytes: number): RequestHandler {
  return (req: Request, res: Response, next: Next): void => {
    jsonBodyOf(req, maxBytes).then(
      (body) => {
        req.body = body;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof ClientError)) return next(error);
        sendError(res, error);
        return next(false);
      },
    );
  };
}

async function jsonBodyOf(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  if (Number(req.headers['content-length']) > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readAtMost(req, maxBytes);
  if (bytes.length === 0) return undefined;
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') throw new ClientError(415, 'UnsupportedMediaType', 'send the body without a content encoding');
  if (!JSON_MEDIA_TYPE.test(req.headers['content-type'] ?? '')) throw new ClientError(415, 'UnsupportedMediaType', 'send the body as application/json');
  const value = parseJson(decodeUtf8(bytes));
  const problem = shapeProblem(value);
  if (problem) throw new ClientError(400, 'BadRequest', problem);
  return value;
}

/** The body, or a 413 as soon as it grows past maxBytes (the rest is read and dropped, so the answer can still be sent). */
function readAtMost(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.resume();
      reject(tooLarge(maxBytes));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // The client went away or broke the connection before the end of the body.
    req.once('error', () => reject(endedEarly()));
    req.once('close', () => {
      if (!req.complete) reject(endedEarly());
    });
  });
}

function endedEarly(): ClientError {
  return new ClientError(400, 'BadRequest', 'the body ended early');
}

function tooLarge(maxBytes: number): ClientError {
  return new ClientError(413, 'PayloadTooLarge', `the body is larger than ${maxBytes} bytes`);
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ClientError(400, 'BadRequest', 'the body is not valid UTF-8');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ClientError(400, 'BadRequest', 'the body is not valid JSON');
  }
}

/** Walks the value without recursion (any depth is safe here) and names the first thing refused. */
function shapeProblem(root: unknown): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value: root, depth: 1 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth > MAX_JSON_DEPTH) return `the body nests deeper than ${MAX_JSON_DEPTH} levels`;
    for (const [key, value] of Object.entries(item.value)) {
      if (PROTOTYPE_KEYS.has(key)) return `the body has the key "${key}", which is not accepted`;
      pending.push({ value, depth: item.depth + 1 });
    }
  }
  return undefined;
}
