import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../ports/blob-store.ts';
import { hashFile } from '../media/hash-file.ts';
import type { Db } from '../repositories/db.ts';
import { uploadRows } from '../repositories/uploads.ts';

/**
 * Files already on the server's disk (a bulk import) enter exactly like uploads: the bytes
 * go into the blob store first, then a completed upload row records them, and only then
 * may an asset or version take them (assets.create consumes the upload).
 */
export class LocalFilesService {
  constructor(
    private readonly db: Db,
    private readonly blobStore: BlobStore,
    /** Staging folder on the blob store's filesystem; the store moves files out of it. */
    private readonly stagingDir: string,
  ) {}

  async hash(file: string): Promise<{ sha256: string; size: number }> {
    return hashFile(file);
  }

  /** Stores a local file's bytes (the original stays where it is) and returns an upload id for assets.create. */
  async store(userId: string, file: string, known: { sha256: string; size: number }, mimeType: string): Promise<string> {
    await mkdir(this.stagingDir, { recursive: true });
    const staged = path.join(this.stagingDir, `import-${randomUUID()}`);
    try {
      await copyFile(file, staged);
      const { storageKey } = await this.blobStore.putFile(staged, known.sha256, known.size);
      const id = `import-${randomUUID()}`;
      await uploadRows.createComplete(
        this.db,
        { id, userId, size: BigInt(known.size), declaredSha256: known.sha256, fileName: path.basename(file), mimeType },
        { sha256: known.sha256, size: known.size, storageKey },
        new Date(),
      );
      return id;
    } finally {
      await rm(staged, { force: true });
    }
  }

  /** True when an asset of this collection (null: unfiled) already holds these bytes in some version. */
  async isInCollection(sha256: string, collectionId: string | null): Promise<boolean> {
    return uploadRows.bytesInCollection(this.db, sha256, collectionId);
  }
}
