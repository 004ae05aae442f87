import type { IncomingMessage } from 'node:http';
import { StockroomError, UPLOAD_SHA256_HEADER } from '@stockroom/shared-types';
import type { Db } from '../repositories/db.ts';
import { uploadRows, type UploadRow } from '../repositories/uploads.ts';
import { failedError, type UploadFinisher } from './finish.ts';
import { parseSha256 } from './metadata.ts';

export interface DeclareDeps {
  prisma: Db;
  finisher: UploadFinisher;
  /** Bytes of the upload on disk (null when its partial file is gone). */
  receivedBytes: (id: string) => Promise<number | null>;
  /** Runs `work` holding the upload's lock, the one every write of it holds. */
  underLock: <T>(id: string, work: () => Promise<T>) => Promise<T>;
}

/** Whether a request is the zero-length PATCH that declares an upload's SHA-256. */
export function isDeclaration(req: IncomingMessage): boolean {
  return req.method === 'PATCH' && req.headers[UPLOAD_SHA256_HEADER.toLowerCase()] !== undefined;
}

/**
 * The SHA-256 declared after the bytes: a zero-length PATCH at the upload's offset with
 * the Stockroom-Sha256 header. It is tus's PATCH without bytes, so it passes every proxy
 * a tus upload passes, and keeps tus's rule that Upload-Offset must be the server's
 * offset (else 409, nothing changed). Once every byte is in, it finishes the upload under
 * the upload's lock through the same finish as the last byte of an upload declared at
 * creation: verified, moved into the blob store, or CHECKSUM_MISMATCH with nothing kept.
 *
 * The offset is compared before the lock is taken: taking the lock asks the request
 * holding it to stop (tus's rule for a client that resumes), and a declaration sent while
 * bytes are still streaming must not cut them off.
 */
export async function declareSha256(req: IncomingMessage, upload: UploadRow, deps: DeclareDeps): Promise<Response> {
  const declared = parseSha256(String(req.headers[UPLOAD_SHA256_HEADER.toLowerCase()] ?? ''));
  if (!declared) {
    throw new StockroomError('VALIDATION_FAILED', `${UPLOAD_SHA256_HEADER} must be the whole file's SHA-256 as 64 hex characters.`, {
      field: UPLOAD_SHA256_HEADER,
    });
  }
  const length = req.headers['content-length'];
  if ((length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined) {
    throw new StockroomError(
      'PROTOCOL_ERROR',
      `A PATCH with ${UPLOAD_SHA256_HEADER} carries no bytes: send the bytes in PATCHes of their own, then declare the SHA-256 in an empty one (Content-Length: 0).`,
    );
  }
  if (!/^\d+$/.test(String(req.headers['upload-offset'] ?? ''))) {
    throw new StockroomError('PROTOCOL_ERROR', 'Send Upload-Offset with the declaration: the upload’s offset as HEAD reports it.');
  }
  const offset = Number(req.headers['upload-offset']);
  const size = Number(upload.size);
  if (upload.status === 'complete') return alreadyComplete(upload, declared);
  if (upload.status === 'failed') throw failedError(upload.failure);

  const onDisk = await deps.receivedBytes(upload.id);
  if (onDisk === null) {
    // The partial file is gone: another request is finishing the upload (under its lock) or
    // ended it. Its outcome is known once that lock is free.
    return deps.underLock(upload.id, async () => {
      const now = await uploadRows.find(deps.prisma, upload.id);
      if (now?.status === 'complete') return alreadyComplete(now, declared);
      if (now?.status === 'failed') throw failedError(now.failure);
      throw offsetConflict(offset, 0);
    });
  }
  if (onDisk !== offset) throw offsetConflict(offset, onDisk);
  if (upload.declaredSha256 !== null && upload.declaredSha256 !== declared) throw declaredBefore(upload.declaredSha256);
  await uploadRows.declare(deps.prisma, upload.id, declared);
  // Looked at again after the declaration is stored: a write that brought the last byte
  // before this point finishes under the lock below; one after it sees the declaration.
  if (((await deps.receivedBytes(upload.id)) ?? 0) < size) return declaredResponse(onDisk);

  return deps.underLock(upload.id, async () => {
    // Read again under the lock: another request may have finished or failed it meanwhile.
    const current = await uploadRows.find(deps.prisma, upload.id);
    if (!current) throw new StockroomError('NOT_FOUND', 'This upload does not exist or has expired. Start a new upload.');
    if (current.status === 'complete') return alreadyComplete(current, declared);
    if (current.declaredSha256 !== declared) throw declaredBefore(current.declaredSha256 ?? 'none');
    await deps.finisher.finish(upload.id);
    return declaredResponse(size);
  });
}

/** A declaration repeated after its answer was lost is answered as the first one was. */
function alreadyComplete(upload: UploadRow, declared: string): Response {
  if (upload.blobSha256 === declared) return declaredResponse(Number(upload.size));
  throw new StockroomError(
    'CONFLICT',
    `This upload is complete already, with the SHA-256 ${upload.blobSha256}; nothing was changed. Upload the other file as a new upload.`,
    { sha256: upload.blobSha256 },
  );
}

function declaredBefore(sha256: string): StockroomError {
  return new StockroomError(
    'CONFLICT',
    `This upload declared its SHA-256 already (${sha256}); a second declaration must name the same. Upload other bytes as a new upload.`,
    { declared: sha256 },
  );
}

function offsetConflict(sent: number, received: number): StockroomError {
  return new StockroomError(
    'CONFLICT',
    `Upload-Offset ${sent} is not the upload's offset (${received} bytes arrived). Send the missing bytes first (HEAD gives the offset), then declare the SHA-256 at the end.`,
    { offset: received },
  );
}

function declaredResponse(offset: number): Response {
  return new Response(null, { status: 204, headers: { 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Cache-Control': 'no-store' } });
}
