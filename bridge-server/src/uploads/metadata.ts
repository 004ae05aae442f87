import { StockroomError, UPLOAD_METADATA, UPLOAD_SHA256_HEADER } from '@stockroom/shared-types';
import sanitizeFileName from 'sanitize-filename';

export interface UploadMetadata {
  /** Null: the client declares it after the bytes (UPLOAD_SHA256_HEADER). */
  sha256: string | null;
  fileName: string;
  mimeType: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
// type/subtype from RFC 6838 restricted-name characters; parameters are not kept.
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const DEFAULT_MIME_TYPE = 'application/octet-stream';

/**
 * Reduces whatever the client sent to a plain file name: no directories (either
 * separator), no control or reserved characters, at most 255 bytes. The result is
 * only ever shown and sent back in Content-Disposition, never used as a path.
 */
export function safeFileName(raw: string): string {
  const base = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  return sanitizeFileName(base).trim();
}

/** Validates the tus Upload-Metadata a client declared; throws VALIDATION_FAILED naming the key to fix. */
export function parseUploadMetadata(metadata: Record<string, string | null | undefined> | undefined): UploadMetadata {
  const rawSha256 = metadata?.[UPLOAD_METADATA.sha256]?.trim().toLowerCase();
  const sha256 = rawSha256 ? parseSha256(rawSha256) : null;
  if (rawSha256 && !sha256) {
    throw new StockroomError(
      'VALIDATION_FAILED',
      `"${UPLOAD_METADATA.sha256}" in Upload-Metadata must be the file's SHA-256 as 64 hex characters, or be left out and declared after the bytes (${UPLOAD_SHA256_HEADER} header).`,
      { field: UPLOAD_METADATA.sha256 },
    );
  }
  const rawName = metadata?.[UPLOAD_METADATA.filename] ?? '';
  const fileName = safeFileName(rawName);
  if (!fileName) {
    throw new StockroomError('VALIDATION_FAILED', `Upload-Metadata must carry "${UPLOAD_METADATA.filename}": the file's name, like "poster.psd".`, {
      field: UPLOAD_METADATA.filename,
    });
  }
  const rawType = metadata?.[UPLOAD_METADATA.mimeType]?.trim().toLowerCase() ?? '';
  const mimeType = rawType === '' ? DEFAULT_MIME_TYPE : rawType.split(';')[0]!.trim();
  if (!MIME_TYPE.test(mimeType)) {
    throw new StockroomError('VALIDATION_FAILED', `"${UPLOAD_METADATA.mimeType}" in Upload-Metadata must be a media type like "image/png" (or be left out).`, {
      field: UPLOAD_METADATA.mimeType,
    });
  }
  return { sha256, fileName, mimeType };
}

/** A hex SHA-256 in lower case, or null when the value is not one. */
export function parseSha256(raw: string): string | null {
  const value = raw.trim().toLowerCase();
  return SHA256_HEX.test(value) ? value : null;
}
