import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '@stockroom/shared-types';

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers over 16 KB, a URL
 * too long, bytes that are not HTTP, headers that never finish) get the same JSON error
 * body as every other refusal, instead of Node's bare status line with no body.
 * Hand-written: this is Node's documented `clientError` hook; no middleware runs this early.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A peer that went away, or an answer already under way on this socket: nothing to say.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const { status, code, message } = refusalOf(error.code);
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

function refusalOf(parserCode: string | undefined): { status: number; code: ErrorCode; message: string } {
  if (parserCode === 'HPE_HEADER_OVERFLOW') {
    return {
      status: 431,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request line and headers are larger than this server accepts (16 KB). Send long values in a POST body instead of the URL.',
    };
  }
  if (parserCode === 'ERR_HTTP_REQUEST_TIMEOUT' || parserCode === 'HPE_HEADER_TIMEOUT') {
    return { status: 408, code: 'PROTOCOL_ERROR', message: 'The request did not arrive in time. Send it again.' };
  }
  return { status: 400, code: 'PROTOCOL_ERROR', message: 'This is not a valid HTTP request. Check the request line and headers your client sends.' };
}
