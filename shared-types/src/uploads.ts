/**
 * Resumable uploads use the tus protocol at UPLOAD_PATH. The client declares the
 * whole file's SHA-256 and name in the Upload-Metadata header; the upload id
 * (the last path segment of its URL) is what assets.create / assets.checkin take.
 */
export const UPLOAD_PATH = '/api/uploads';

export const UPLOAD_METADATA = {
  /** Hex SHA-256 of the whole file, checked when the last byte arrives. */
  sha256: 'sha256',
  filename: 'filename',
  mimeType: 'filetype',
} as const;

/** Response header carrying the error body when the server refuses an upload request. */
export const UPLOAD_ERROR_HEADER = 'Stockroom-Error';

export function uploadIdFromUrl(url: string): string {
  const clean = url.split('?')[0] ?? url;
  return clean.substring(clean.lastIndexOf('/') + 1);
}
