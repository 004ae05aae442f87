import { StockroomError, UPLOAD_METADATA } from '@stockroom/shared-types';
import sanitizeFileName from 'sanitize-filename';

export interface UploadMetadata {
  sha256: string;
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
  const sha256 = metadata?.[UPLOAD_METADATA.sha256]?.trim().toLowerCase();
  if (!sha256 || !SHA256_HEX.test(sha256)) {
    throw new StockroomError(
      'VALIDATION_FAILED',
      `Upload-Metadata must carry "${UPLOAD_METADATA.sha256}": the file's SHA-256 as 64 hex characters. Compute it before uploading and declare it.`,
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
