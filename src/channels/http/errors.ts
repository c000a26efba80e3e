/**
 * Error answers. A client's mistake gets its 4xx status and a JSON body `{ code, message }` (the shape
 * restify uses for its own 404 and 405); a fault of the server gets a bare 500 that says nothing
 * about it (no message, no stack), and the error goes to the log instead.
 */
import type { Logger } from 'pino';
import type { Request, Response, Server } from 'restify';

/** A request the server refuses because of what the client sent. */
export class ClientError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendError(res: Response, { statusCode, code, message }: ClientError): void {
  res.send(statusCode, { code, message });
}

export function notFound(): ClientError {
  return new ClientError(404, 'ResourceNotFound', 'there is nothing at this address');
}

/** restify's own 404 names the path asked for ("/<script>… does not exist"): echoing input is never needed. */
export function answerNotFoundPlainly(server: Server): void {
  server.on('NotFound', (_req: Request, res: Response, _error: unknown, done: () => void) => {
    sendError(res, notFound());
    done();
  });
}

const SERVER_FAULT = { code: 'InternalServerError', message: 'Something went wrong on our side. Please try again.' };

/** Replaces restify's answer to errors without a 4xx status (it would send the error's message) with a bland 500. */
export function answerServerFaultsBlandly(server: Server, logger: Logger): void {
  server.on('restifyError', (req: Request, res: Response, error: unknown, done: () => void) => {
    if (!isClientError(error)) {
      logger.error({ err: error, method: req.method, path: req.path() }, 'request failed');
      res.send(500, SERVER_FAULT);
    }
    done();
  });
}

function isClientError(error: unknown): boolean {
  const { statusCode } = (error ?? {}) as { statusCode?: unknown };
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}
