import { StockroomError } from '@stockroom/shared-types';

/** Deeper JSON than this is refused: no contract nests anywhere near it, and Postgres and the validators cannot take thousands. */
export const MAX_JSON_DEPTH = 64;

/**
 * The one check every inbound JSON value passes (WebSocket frames, REST bodies and query
 * strings, sign-in forms) before anything reads it: no NUL character in any string or key
 * (Postgres text cannot hold one) and at most MAX_JSON_DEPTH levels of nesting. Walks
 * with its own stack, so a 50,000-deep value cannot overflow the call stack here either.
 * Returns the VALIDATION_FAILED to answer, or undefined when the value is fine.
 */
export function inputProblem(value: unknown): StockroomError | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      if (item.value.includes('\u0000')) return nulError(item.path);
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_JSON_DEPTH) {
      return new StockroomError('VALIDATION_FAILED', `The request nests deeper than ${MAX_JSON_DEPTH} levels. Flatten the data and send it again.`, {
        issues: [{ path: item.path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` }],
      });
    }
    for (const [key, child] of Object.entries(item.value)) {
      const path = item.path ? `${item.path}.${key}` : key;
      if (key.includes('\u0000')) return nulError(path);
      stack.push({ value: child, depth: item.depth + 1, path });
    }
  }
  return undefined;
}

function nulError(path: string): StockroomError {
  return new StockroomError(
    'VALIDATION_FAILED',
    `The text at "${path || 'the request'}" contains a NUL character (\\u0000), which Stockroom cannot store. Remove it and send the request again.`,
    {
      issues: [{ path: path.replace(/\u0000/g, '\\u0000'), message: 'contains a NUL character' }],
    },
  );
}
