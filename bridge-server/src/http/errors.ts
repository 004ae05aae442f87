import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { HTTP_STATUS, StockroomError } from '@stockroom/shared-types';
import type { Logger } from '../logger.ts';
import { requestIdOf } from './request-log.ts';

export function sendError(res: Response, error: StockroomError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.code === 'RATE_LIMITED') res.setHeader('Retry-After', String(error.data?.retryAfterSeconds ?? 60));
  res.status(HTTP_STATUS[error.code]).json({ error: error.toJSON() });
}

/**
 * Last express middleware: every error a route throws or rejects with (Express 5 passes an
 * async handler's rejection here) leaves as `{ error: { code, message, data } }`. Anything
 * that is not a StockroomError is logged and answered INTERNAL with the request id, which
 * the person can quote and which is on every log line of that request.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    sendError(res, asStockroomError(error, req, logger));
  };
}

function asStockroomError(error: unknown, req: Request, logger: Logger): StockroomError {
  const e = error as { type?: string } | null;
  if (e?.type === 'entity.too.large') {
    return new StockroomError('PAYLOAD_TOO_LARGE', 'The request body is too large. Send file contents through an upload instead.');
  }
  if (e?.type === 'entity.parse.failed') return new StockroomError('PROTOCOL_ERROR', 'The request body is not valid JSON.');
  const requestId = requestIdOf(req) || randomUUID();
  if (error instanceof StockroomError && error.code !== 'INTERNAL') return error;
  if (!(error instanceof StockroomError)) (req.log ?? logger).error({ err: error, requestId, path: req.path, verb: req.method }, 'request failed');
  return new StockroomError(
    'INTERNAL',
    `Something went wrong on the server. Try again; if it keeps happening, give an administrator this request id: ${requestId}.`,
    { ...(error instanceof StockroomError ? error.data : {}), requestId },
  );
}

/** After every route: a path or verb this server does not answer, in the one error shape rather than Express's HTML page. */
export const unknownPath: RequestHandler = (req, res) => {
  sendError(
    res,
    new StockroomError('NOT_FOUND', `There is no ${req.method} ${req.path} on this server. The API reference is at /api/docs.`, {
      method: req.method,
      path: req.path,
    }),
  );
};
