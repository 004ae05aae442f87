import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { HTTP_STATUS, StockroomError } from '@stockroom/shared-types';
import type { Logger } from '../logger.ts';
import { toStockroomError } from '../rpc/call.ts';

export function sendError(res: Response, error: StockroomError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(HTTP_STATUS[error.code]).json({ error: error.toJSON() });
}

/** Last express middleware: every error leaves as `{ error: { code, message, data } }`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const e = error as { type?: string; status?: number };
    if (e?.type === 'entity.too.large') {
      return sendError(res, new StockroomError('PAYLOAD_TOO_LARGE', 'The request body is too large. Send file contents through an upload instead.'));
    }
    if (e?.type === 'entity.parse.failed') {
      return sendError(res, new StockroomError('PROTOCOL_ERROR', 'The request body is not valid JSON.'));
    }
    sendError(res, toStockroomError(error, logger, { path: req.path, verb: req.method }));
  };
}

/** After every route: a path or verb this server does not answer, in the one error shape rather than Express's HTML page. */
export const unknownPath: RequestHandler = (req, res) => {
  sendError(res, new StockroomError('NOT_FOUND', `There is no ${req.method} ${req.path} on this server. The API reference is at /api/docs.`, { method: req.method, path: req.path }));
};
