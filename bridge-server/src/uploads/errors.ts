import { errorBodySchema, HTTP_STATUS, StockroomError, UPLOAD_ERROR_HEADER, type ErrorBody, type ErrorCode } from '@stockroom/shared-types';

/** What @tus/server expects a hook to throw: it sends `status_code` and `body` as they are. */
export interface TusHookError {
  status_code: number;
  body: string;
}

export function toTusError(error: StockroomError, status = HTTP_STATUS[error.code]): TusHookError {
  return { status_code: status, body: JSON.stringify(error.toJSON()) };
}

/** JSON with every non-ASCII character escaped, so it is a valid HTTP header value and still the same JSON. */
function headerSafeJson(body: ErrorBody): string {
  return JSON.stringify(body).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An error response: the body has the shape of every other HTTP error,
 * `{"error":{code,message,data}}`; the Stockroom-Error header carries the same
 * `{code,message,data}` for clients that only see headers (tus-js-client, HEAD).
 */
export function errorResponse(status: number, body: ErrorBody, base?: Headers): Response {
  const headers = new Headers(base);
  headers.delete('content-length');
  headers.set('Content-Type', 'application/json; charset=utf-8');
  headers.set(UPLOAD_ERROR_HEADER, headerSafeJson(body));
  const exposed = headers.get('access-control-expose-headers');
  if (exposed !== null && !exposed.toLowerCase().includes(UPLOAD_ERROR_HEADER.toLowerCase())) {
    headers.set('Access-Control-Expose-Headers', `${exposed}, ${UPLOAD_ERROR_HEADER}`);
  }
  return new Response(JSON.stringify({ error: body }), { status, headers });
}

export function stockroomErrorResponse(error: StockroomError, status = HTTP_STATUS[error.code]): Response {
  return errorResponse(status, error.toJSON());
}

/**
 * @tus/server answers protocol problems with plain-text bodies; turn each into a
 * stable code and a message that tells the client what to do. Bodies our own hooks
 * produced are already `{code, message}` and pass through.
 */
export async function normalizeErrorResponse(response: Response, context: { maxUploadBytes: number; uploadLength: string | null }): Promise<Response> {
  const text = await response.text();
  let parsed: ErrorBody | undefined;
  try {
    const json = JSON.parse(text) as { error?: unknown };
    const result = errorBodySchema.safeParse(json.error ?? json);
    if (result.success) parsed = result.data;
  } catch {
    // plain text from @tus/server
  }
  return errorResponse(response.status, parsed ?? describeTusError(response.status, text, context), response.headers);
}

function describeTusError(status: number, text: string, context: { maxUploadBytes: number; uploadLength: string | null }): ErrorBody {
  const detail = text.trim();
  const body = (code: ErrorCode, message: string): ErrorBody => ({ code, message });
  switch (status) {
    case 404:
    case 410:
      return body('NOT_FOUND', 'This upload does not exist or has expired. Start a new upload.');
    case 409:
      return body('CONFLICT', 'Upload-Offset does not match the bytes the server holds. Ask for the current offset (HEAD) and resume from there.');
    case 413:
      if (/maximum size/i.test(detail)) {
        return body(
          'UPLOAD_TOO_LARGE',
          `The file${context.uploadLength ? ` (${context.uploadLength} bytes)` : ''} is larger than this server accepts (${context.maxUploadBytes} bytes). Upload a smaller file or ask an admin to raise MAX_UPLOAD_SIZE.`,
        );
      }
      return body('PAYLOAD_TOO_LARGE', 'More bytes were sent than the upload declared in Upload-Length. Resume from the current offset with the right file.');
    case 412:
      return body('PROTOCOL_ERROR', 'Send the Tus-Resumable: 1.0.0 header: uploads use the tus 1.0 protocol.');
    case 423:
      return body('CONFLICT', 'Another request is writing to this upload. Retry in a moment.');
    case 501:
      return body(
        'PROTOCOL_ERROR',
        `This server does not offer that tus extension (${detail}). Declare Upload-Length when creating the upload, and send the file in order.`,
      );
    default:
      if (status >= 500) {
        return body('INTERNAL', 'The server could not store these bytes. Retry: the upload resumes where it stopped.');
      }
      return body(
        /metadata|length/i.test(detail) ? 'VALIDATION_FAILED' : 'PROTOCOL_ERROR',
        `The upload request was refused (${detail || `HTTP ${status}`}). Use a tus 1.0 client that declares Upload-Length and Upload-Metadata.`,
      );
  }
}
