import { z } from 'zod';

/** Stable error codes: clients switch on these, people read the message. */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ASSET_LOCKED',
  'VERSION_CONFLICT',
  'UPLOAD_INCOMPLETE',
  'UPLOAD_TOO_LARGE',
  'CHECKSUM_MISMATCH',
  'PROTOCOL_ERROR',
  'UNKNOWN_METHOD',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'CONFLICT',
  /** A brand asset that is expired or withdrawn, or a file that cannot be inserted. */
  'ASSET_UNAVAILABLE',
  /** A file refused as unsafe (an SVG with an XML bomb, an unparsable SVG). */
  'UNSAFE_CONTENT',
  'INTERNAL',
  /** Client side: the connection to the bridge dropped before an answer arrived. */
  'DISCONNECTED',
  /** Client side: no answer within the request timeout. */
  'TIMEOUT',
] as const;

export const errorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorBodySchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The one shape of every HTTP error answer (REST, uploads, downloads, auth, metrics): `{"error": {code, message, data?}}`. */
export const errorResponseSchema = z.object({ error: errorBodySchema });

/** HTTP status used by the REST mirror for each code. */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  PROTOCOL_ERROR: 400,
  UNKNOWN_METHOD: 404,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ASSET_LOCKED: 423,
  VERSION_CONFLICT: 409,
  CONFLICT: 409,
  ASSET_UNAVAILABLE: 410,
  UNSAFE_CONTENT: 422,
  UPLOAD_INCOMPLETE: 409,
  UPLOAD_TOO_LARGE: 413,
  PAYLOAD_TOO_LARGE: 413,
  CHECKSUM_MISMATCH: 460,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DISCONNECTED: 503,
  TIMEOUT: 504,
};

/** An error raised by the bridge (server side) or received from it (client side). */
export class StockroomError extends Error {
  readonly code: ErrorCode;
  readonly data: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message: string, data?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StockroomError';
    this.code = code;
    this.data = data;
  }
  toJSON(): ErrorBody {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

export function isStockroomError(error: unknown): error is StockroomError {
  return error instanceof StockroomError;
}
