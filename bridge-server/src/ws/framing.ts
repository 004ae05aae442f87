import { requestFrameSchema, StockroomError, type ErrorBody, type RequestFrame } from '@stockroom/shared-types';
import { inputProblem } from '../rpc/input-guard.ts';

/** One incoming WebSocket message read as a request, or the error to answer it with (`replyId`: the request's id when it could be read). */
export type IncomingFrame = { ok: true; frame: RequestFrame } | { ok: false; replyId: number | string | null; error: StockroomError };

/** Reads one message as a request frame: JSON text within the size limit, free of hostile input, with an id and a method. */
export function readFrame(data: Buffer, isBinary: boolean, maxFrameBytes: number): IncomingFrame {
  if (isBinary) {
    return refuse(
      null,
      new StockroomError('PROTOCOL_ERROR', 'Send JSON text frames; binary frames are not part of the protocol. Upload bytes over HTTP (tus).'),
    );
  }
  if (data.length > maxFrameBytes) {
    return refuse(
      null,
      new StockroomError('PAYLOAD_TOO_LARGE', `A message may be at most ${maxFrameBytes} bytes. Send file contents through an upload instead.`, {
        limit: maxFrameBytes,
      }),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(data.toString('utf8'));
  } catch {
    return refuse(null, new StockroomError('PROTOCOL_ERROR', 'This message is not valid JSON. Send {"id", "method", "params"} as JSON text.'));
  }
  const rawId = (json as { id?: unknown })?.id;
  const replyId = (typeof rawId === 'number' || typeof rawId === 'string') && requestFrameSchema.shape.id.safeParse(rawId).success ? rawId : null;
  const problem = inputProblem(json);
  if (problem) return refuse(replyId, problem);
  const frame = requestFrameSchema.safeParse(json);
  if (!frame.success) {
    return refuse(replyId, new StockroomError('PROTOCOL_ERROR', 'A request needs an "id" (number or string) and a "method" name, with optional "params".'));
  }
  return { ok: true, frame: frame.data };
}

/** The frame that answers a request (or an unreadable message, id null) with an error. */
export function errorFrame(id: number | string | null, error: StockroomError): { id: number | string | null; error: ErrorBody } {
  return { id, error: error.toJSON() };
}

function refuse(replyId: number | string | null, error: StockroomError): IncomingFrame {
  return { ok: false, replyId, error };
}
