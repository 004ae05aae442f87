import { StockroomError } from '@stockroom/shared-types';

/** Cursors are opaque to clients: base64url JSON that only the backend that wrote it reads. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) {
    throw new StockroomError('VALIDATION_FAILED', 'The search cursor is not valid. Start again from the first page (leave cursor out).', { field: 'cursor' });
  }
  return value;
}
