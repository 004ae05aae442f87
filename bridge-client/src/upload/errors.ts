import { ERROR_CODES, HTTP_STATUS, StockroomError, type ErrorCode } from '@stockroom/shared-types';

/** What is known about a refused upload request. */
export interface UploadFailure {
  status: number;
  /** Value of the Stockroom-Error response header, if any. */
  errorHeader: string | undefined;
  body: string;
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);

function errorBodyFrom(text: string | undefined): { code: ErrorCode; message: string; data?: Record<string, unknown> } | null {
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The header may carry only the code.
    return isErrorCode(text.trim()) ? { code: text.trim() as ErrorCode, message: '' } : null;
  }
  if (json === null || typeof json !== 'object') return null;
  // Accept both `{code, message}` and `{error: {code, message}}`.
  const body = ('error' in json && typeof json.error === 'object' && json.error !== null ? json.error : json) as Record<string, unknown>;
  if (!isErrorCode(body.code)) return null;
  const data = typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : undefined;
  return { code: body.code, message: typeof body.message === 'string' ? body.message : '', ...(data ? { data } : {}) };
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 413) return 'UPLOAD_TOO_LARGE';
  const match = (Object.entries(HTTP_STATUS) as [ErrorCode, number][]).find(([, s]) => s === status);
  return match ? match[0] : 'INTERNAL';
}

/** The StockroomError a refused upload request stands for: body first, then header, then status. */
export function uploadErrorFromResponse(failure: UploadFailure): StockroomError {
  const parsed = errorBodyFrom(failure.body) ?? errorBodyFrom(failure.errorHeader);
  const code = parsed?.code ?? codeForStatus(failure.status);
  const message = parsed?.message || `The bridge refused the upload (HTTP ${failure.status}). Try again; if it keeps failing, tell your administrator.`;
  return new StockroomError(code, message, { status: failure.status, ...(parsed?.data ?? {}) });
}
