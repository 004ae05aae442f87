import { StockroomError, UPLOAD_INCOMPLETE_REASONS, UPLOAD_SHA256_HEADER, type Upload } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { uploadRows } from '../repositories/uploads.ts';
import type { ConsumedUpload, UploadConsumer } from './uploads-port.ts';

/** Finished uploads as the source of new assets and versions. */
export class UploadsService implements UploadConsumer {
  /**
   * @param progress how many bytes of an unfinished upload arrived (the upload
   *   handler's `receivedBytes`), so the error can say how far it got.
   */
  constructor(
    private readonly db: Db,
    private readonly progress?: (uploadId: string) => Promise<number | null>,
  ) {}

  async get(uploadId: string, actor: Actor): Promise<Upload> {
    const row = await uploadRows.find(this.db, uploadId);
    if (!row || row.userId !== actor.user.id) throw unknownUpload(uploadId);
    return {
      id: row.id,
      size: Number(row.size),
      fileName: row.fileName,
      mimeType: row.mimeType,
      status: row.status,
      sha256: row.declaredSha256,
      failure: row.failure,
    };
  }

  /** Takes a finished upload's bytes inside the caller's transaction; an upload is used once. */
  async consume(tx: Tx, uploadId: string, actor: Actor): Promise<ConsumedUpload> {
    // The usual case in one statement; a refused upload is read again below to say why.
    const taken = await uploadRows.consumeFinished(tx, uploadId, actor.user.id, new Date());
    if (taken) return { blobSha256: taken.blobSha256, size: Number(taken.size), fileName: taken.fileName, mimeType: taken.mimeType };
    const row = await uploadRows.lockForConsume(tx, uploadId);
    if (!row || row.userId !== actor.user.id) throw unknownUpload(uploadId);
    if (row.status === 'failed') {
      throw new StockroomError('UPLOAD_INCOMPLETE', `This upload failed (${row.failure ?? 'unknown reason'}). Upload the file again.`, {
        uploadId,
        failure: row.failure,
        reason: UPLOAD_INCOMPLETE_REASONS.failed,
      });
    }
    if (row.status !== 'complete' || !row.blobSha256) {
      const offset = (await this.progress?.(uploadId)) ?? undefined;
      if (row.declaredSha256 === null && (row.receivedSha256 !== null || offset === Number(row.size))) {
        throw new StockroomError(
          'UPLOAD_INCOMPLETE',
          `Every byte of this upload arrived, but its SHA-256 was never declared, so the bytes are not verified. Declare it (an empty PATCH to the upload with the ${UPLOAD_SHA256_HEADER} header; BridgeClient's upload() of the same file does it), then try again.`,
          { uploadId, size: Number(row.size), offset: Number(row.size), reason: UPLOAD_INCOMPLETE_REASONS.sha256Undeclared },
        );
      }
      throw new StockroomError(
        'UPLOAD_INCOMPLETE',
        `This upload is not finished: ${offset ?? 'some'} of ${row.size} bytes arrived. Resume the upload (it continues where it stopped), then try again.`,
        { uploadId, size: Number(row.size), ...(offset !== undefined ? { offset } : {}), reason: UPLOAD_INCOMPLETE_REASONS.bytesMissing },
      );
    }
    if (row.consumedAt) {
      throw new StockroomError('CONFLICT', 'These bytes were used for another version already. Upload the file again.', { uploadId });
    }
    await uploadRows.markConsumed(tx, uploadId, new Date());
    return { blobSha256: row.blobSha256, size: Number(row.size), fileName: row.fileName, mimeType: row.mimeType };
  }
}

function unknownUpload(uploadId: string): StockroomError {
  return new StockroomError('NOT_FOUND', 'There is no finished upload with this id for your account. Upload the file first.', { uploadId });
}
