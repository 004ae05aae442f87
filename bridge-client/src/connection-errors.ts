import { StockroomError, type ErrorCode } from '@stockroom/shared-types';

/**
 * Codes with which the bridge refuses session.hello for good: trying again with the
 * same token and client cannot help, so the client stops instead of retrying.
 */
export const FATAL_HELLO_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'PROTOCOL_ERROR',
  'VALIDATION_FAILED',
  'UNKNOWN_METHOD',
]);

/** WebSocket close codes the bridge uses to refuse a session (policy violation, app-defined auth codes). */
const AUTH_CLOSE_CODES = new Set([1008, 4401, 4403]);

export interface CloseInfo {
  code?: number;
  reason?: string;
}

/** The error for a connection that closed; auth close codes become UNAUTHENTICATED. */
export function closeError(info: CloseInfo): StockroomError {
  const detail = `code ${info.code ?? 'unknown'}${info.reason ? `: ${info.reason}` : ''}`;
  if (info.code !== undefined && AUTH_CLOSE_CODES.has(info.code)) {
    return new StockroomError('UNAUTHENTICATED', `The bridge refused this session (${detail}). Sign in again.`, {
      closeCode: info.code,
    });
  }
  return new StockroomError('DISCONNECTED', `The connection to the bridge closed (${detail}).`, { closeCode: info.code ?? null });
}

export function droppedRequestError(method: string): StockroomError {
  return new StockroomError(
    'DISCONNECTED',
    `The connection to the bridge dropped before ${method} was answered. It may or may not have been applied: check, then try again.`,
    { method },
  );
}

export function closedByClientError(): StockroomError {
  return new StockroomError('DISCONNECTED', 'The bridge client was closed. Call connect() to use it again.');
}

export function notConnectedError(method: string): StockroomError {
  return new StockroomError('DISCONNECTED', `Not connected to the bridge: call connect() before ${method}.`, { method });
}

export function asStockroomError(error: unknown): StockroomError {
  if (error instanceof StockroomError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new StockroomError('DISCONNECTED', `Could not reach the bridge (${message}).`, undefined, { cause: error });
}
