/**
 * Resumable uploads use the tus protocol at UPLOAD_PATH. The client declares the
 * whole file's SHA-256 either in the Upload-Metadata header at creation, or after
 * the bytes, in a zero-length PATCH carrying UPLOAD_SHA256_HEADER (so it can hash
 * while it sends). The upload id (the last path segment of its URL) is what
 * assets.create / assets.checkin take, once the SHA-256 is declared and verified.
 */
export const UPLOAD_PATH = '/api/uploads';

export const UPLOAD_METADATA = {
  /** Hex SHA-256 of the whole file, checked when the last byte arrives. Optional: see UPLOAD_SHA256_HEADER. */
  sha256: 'sha256',
  filename: 'filename',
  mimeType: 'filetype',
} as const;

/**
 * Request header of a zero-length PATCH (at the upload's current offset) that declares the
 * whole file's SHA-256 (64 hex characters) of an upload created without one. Sent once every
 * byte arrived, it verifies the bytes and turns them into a blob (204), or answers
 * CHECKSUM_MISMATCH and keeps nothing. Sent earlier, it is kept and checked at the last byte.
 */
export const UPLOAD_SHA256_HEADER = 'Stockroom-Sha256';

/** `data.reason` of UPLOAD_INCOMPLETE, so a client knows what is missing. */
export const UPLOAD_INCOMPLETE_REASONS = {
  /** Some bytes have not arrived: resume the upload (HEAD, then PATCH from the offset). */
  bytesMissing: 'bytes-missing',
  /** Every byte arrived, but the SHA-256 was never declared: send the UPLOAD_SHA256_HEADER PATCH. */
  sha256Undeclared: 'sha256-undeclared',
  /** The upload failed (wrong SHA-256, cancelled, expired): upload the file again. */
  failed: 'failed',
} as const;

/** Response header carrying the error body when the server refuses an upload request. */
export const UPLOAD_ERROR_HEADER = 'Stockroom-Error';

export function uploadIdFromUrl(url: string): string {
  const clean = url.split('?')[0] ?? url;
  return clean.substring(clean.lastIndexOf('/') + 1);
}
