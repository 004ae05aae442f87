import { MAX_FRAME_BYTES, StockroomError } from '@stockroom/shared-types';
import { asStockroomError, droppedRequestError } from './connection-errors.ts';
import { encodeRequest } from './frames.ts';
import type { PendingRequests } from './pending.ts';
import { WS_OPEN, type WebSocketLike } from './websocket.ts';

/**
 * Sends one request frame on a socket and registers it with that socket's pending
 * requests; the promise settles with the answer, a timeout, or the socket's end.
 */
export function sendRequest(socket: WebSocketLike, pending: PendingRequests, method: string, params: unknown, timeoutMs: number): Promise<unknown> {
  const { id, promise } = pending.add(method, timeoutMs);
  if (socket.readyState !== WS_OPEN) {
    pending.fail(id, droppedRequestError(method));
    return promise;
  }
  const frame = encodeRequest(id, method, params);
  const bytes = frameBytes(frame);
  if (bytes > MAX_FRAME_BYTES) {
    // The bridge would answer with an error it cannot tie to this request (id null).
    pending.fail(
      id,
      new StockroomError(
        'PAYLOAD_TOO_LARGE',
        `${method} is too large to send (${bytes} bytes, the limit is ${MAX_FRAME_BYTES}). Send fewer items per call; send file contents as an upload.`,
        {
          method,
          bytes,
          limit: MAX_FRAME_BYTES,
        },
      ),
    );
    return promise;
  }
  try {
    socket.send(frame);
  } catch (error) {
    pending.fail(id, asStockroomError(error));
  }
  return promise;
}

/** UTF-8 size of a frame; the exact count only when it could matter (a JS char is at most 3 bytes). */
function frameBytes(frame: string): number {
  if (frame.length * 3 <= MAX_FRAME_BYTES) return frame.length;
  const Encoder = (globalThis as { TextEncoder?: new () => { encode(text: string): Uint8Array } }).TextEncoder;
  return Encoder ? new Encoder().encode(frame).byteLength : frame.length * 3;
}
