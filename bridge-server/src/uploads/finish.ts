import { StockroomError } from '@stockroom/shared-types';
import type pino from 'pino';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Db } from '../repositories/db.ts';
import { uploadRows } from '../repositories/uploads.ts';
import type { HashingFileStore } from './hashing-file-store.ts';

export interface FinishDeps {
  prisma: Db;
  blobStore: BlobStore;
  store: HashingFileStore;
  logger: pino.Logger;
}

/**
 * Turns a fully received upload into a stored blob: check the SHA-256 against the
 * declared one, move the bytes into the blob store (atomic there), then record the
 * blob and mark the upload complete in one transaction. Only after that can a
 * version take the upload, so no version ever points at partial or unverified bytes.
 *
 * Callers hold the upload's lock (the write that brought the last byte, or a HEAD
 * that found every byte but no finish): no other request, in any process, writes
 * to the partial file meanwhile. A blob already in the store is never written
 * again: the store keeps the first copy and drops the new one.
 */
export class UploadFinisher {
  /** One finish at a time per upload in this process (the last PATCH and a HEAD may both ask). */
  private readonly running = new Map<string, Promise<boolean>>();

  constructor(private readonly deps: FinishDeps) {}

  /**
   * `sha256`: the running hash of every byte received, when the caller has it (else the
   * file is read once). Resolves true once the upload is complete; false while it waits for
   * its SHA-256 (created without one, see UPLOAD_SHA256_HEADER): then the bytes and their
   * hash are kept, and the declaration finishes it.
   */
  finish(id: string, sha256?: string): Promise<boolean> {
    const current = this.running.get(id);
    if (current) return current;
    const run = this.run(id, sha256).finally(() => this.running.delete(id));
    this.running.set(id, run);
    return run;
  }

  private async run(id: string, sha256: string | undefined): Promise<boolean> {
    const { prisma, blobStore, store, logger } = this.deps;
    const upload = await uploadRows.find(prisma, id);
    if (!upload) throw new StockroomError('NOT_FOUND', 'This upload does not exist. Start a new upload.');
    if (upload.status === 'complete') return true;
    if (upload.status === 'failed') throw failedError(upload.failure);
    const size = Number(upload.size);
    // The bytes cannot change once all arrived, so a hash kept for them stays true.
    const digest = sha256 ?? upload.receivedSha256 ?? (await store.digest(id, size));
    if (upload.declaredSha256 === null) {
      if (upload.receivedSha256 !== digest) {
        await uploadRows.recordReceived(prisma, id, digest);
        logger.info({ uploadId: id, size }, 'upload received, waiting for its SHA-256');
      }
      return false;
    }
    if (digest !== upload.declaredSha256) {
      const failure = `the bytes received have SHA-256 ${digest}, not the declared ${upload.declaredSha256}`;
      await store.removeFiles(id).catch(() => {});
      await uploadRows.failPending(prisma, id, failure);
      logger.warn({ uploadId: id, declared: upload.declaredSha256, actual: digest }, 'upload checksum mismatch');
      throw new StockroomError(
        'CHECKSUM_MISMATCH',
        `The bytes received do not match the declared SHA-256 (${upload.declaredSha256}); nothing was stored. Check that the file did not change while uploading, and upload it again.`,
        { declared: upload.declaredSha256, received: digest },
      );
    }
    const { storageKey, existed } = await blobStore.putFile(store.filePath(id), digest, size);
    try {
      await uploadRows.complete(prisma, id, { sha256: digest, size, storageKey }, new Date());
    } catch (error) {
      // Stored but not recorded: remove the bytes again unless another upload recorded them meanwhile.
      if (!existed && !(await uploadRows.blobExists(prisma, digest).catch(() => 'unknown'))) {
        await blobStore.delete(digest).catch(() => {});
      }
      throw error;
    }
    await store.removeFiles(id).catch(() => {});
    logger.info({ uploadId: id, sha256: digest, size, deduplicated: existed }, 'upload complete');
    return true;
  }
}

export function failedError(failure: string | null): StockroomError {
  return new StockroomError('UPLOAD_INCOMPLETE', `This upload failed (${failure ?? 'unknown reason'}). Start a new upload.`);
}
