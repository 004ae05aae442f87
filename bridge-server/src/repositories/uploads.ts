import type { Prisma } from '@stockroom/prisma';
import type { Db, Tx } from './db.ts';

export type UploadRow = Prisma.UploadGetPayload<object>;

export interface NewUploadRow {
  id: string;
  userId: string;
  size: bigint;
  declaredSha256: string | null;
  fileName: string;
  mimeType: string;
}

export interface StoredBlob {
  sha256: string;
  size: number;
  storageKey: string;
}

/** An upload row read for update by the transaction that takes its bytes. */
export interface UploadForConsume {
  id: string;
  userId: string;
  status: string;
  size: bigint;
  fileName: string;
  mimeType: string;
  declaredSha256: string | null;
  receivedSha256: string | null;
  blobSha256: string | null;
  failure: string | null;
  consumedAt: Date | null;
}

/** Rows in, rows out: uploads and the blobs they leave behind. No rules here. */
export const uploadRows = {
  async find(tx: Tx, id: string): Promise<UploadRow | null> {
    return tx.upload.findUnique({ where: { id } });
  },

  async create(tx: Tx, row: NewUploadRow): Promise<void> {
    await tx.upload.create({ data: row });
  },

  /** Marks a still pending upload failed; returns how many rows changed (0 or 1). */
  async failPending(tx: Tx, id: string, failure: string): Promise<number> {
    return (await tx.upload.updateMany({ where: { id, status: 'pending' }, data: { status: 'failed', failure } })).count;
  },

  /** Keeps the SHA-256 of every byte of a pending upload that waits for its declaration. */
  async recordReceived(tx: Tx, id: string, sha256: string): Promise<void> {
    await tx.upload.updateMany({ where: { id, status: 'pending' }, data: { receivedSha256: sha256 } });
  },

  /** Sets the declared SHA-256 of a pending upload that has none; returns how many rows changed (0 or 1). */
  async declare(tx: Tx, id: string, sha256: string): Promise<number> {
    return (await tx.upload.updateMany({ where: { id, status: 'pending', declaredSha256: null }, data: { declaredSha256: sha256 } })).count;
  },

  async pendingCreatedBefore(tx: Tx, cutoff: Date): Promise<string[]> {
    return (await tx.upload.findMany({ where: { status: 'pending', createdAt: { lt: cutoff } }, select: { id: true } })).map((u) => u.id);
  },

  async pendingAmong(tx: Tx, ids: string[]): Promise<string[]> {
    return (await tx.upload.findMany({ where: { id: { in: ids }, status: 'pending' }, select: { id: true } })).map((u) => u.id);
  },

  /** Records the blob (unless the same content is recorded already) and completes a pending upload, in one transaction. */
  async complete(db: Db, id: string, blob: StoredBlob, at: Date): Promise<void> {
    await db.$transaction([
      // ON CONFLICT DO NOTHING: two uploads of the same content may finish at once.
      db.blob.createMany({ data: [{ sha256: blob.sha256, size: BigInt(blob.size), storageKey: blob.storageKey }], skipDuplicates: true }),
      db.upload.updateMany({ where: { id, status: 'pending' }, data: { status: 'complete', blobSha256: blob.sha256, completedAt: at } }),
    ]);
  },

  /** Records the blob and a completed upload of it (a file imported from the server's disk), in one transaction. */
  async createComplete(db: Db, row: NewUploadRow, blob: StoredBlob, at: Date): Promise<void> {
    await db.$transaction([
      db.blob.createMany({ data: [{ sha256: blob.sha256, size: BigInt(blob.size), storageKey: blob.storageKey }], skipDuplicates: true }),
      db.upload.create({ data: { ...row, status: 'complete', blobSha256: blob.sha256, completedAt: at } }),
    ]);
  },

  async blobExists(tx: Tx, sha256: string): Promise<boolean> {
    return (await tx.blob.findUnique({ where: { sha256 }, select: { sha256: true } })) !== null;
  },

  /** Whether a live asset of the collection (null: unfiled) has a version with these bytes. */
  async bytesInCollection(tx: Tx, sha256: string, collectionId: string | null): Promise<boolean> {
    const found = await tx.version.findFirst({ where: { blobSha256: sha256, asset: { collectionId, deletedAt: null } }, select: { id: true } });
    return found !== null;
  },

  async lockForConsume(tx: Tx, id: string): Promise<UploadForConsume | null> {
    const rows = await tx.$queryRaw<UploadForConsume[]>`
      SELECT id, "userId", status::text AS status, size, "fileName", "mimeType", "declaredSha256", "receivedSha256", "blobSha256", failure, "consumedAt"
        FROM uploads WHERE id = ${id} FOR UPDATE`;
    return rows[0] ?? null;
  },

  async markConsumed(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.upload.update({ where: { id }, data: { consumedAt: at } });
  },

  /**
   * Marks consumed, in one statement, a finished upload of this user that nothing consumed yet,
   * and returns its bytes; null when the upload is not such an upload (then lockForConsume says why).
   */
  async consumeFinished(tx: Tx, id: string, userId: string, at: Date): Promise<ConsumedUploadRow | null> {
    const rows = await tx.$queryRaw<ConsumedUploadRow[]>`
      UPDATE uploads SET "consumedAt" = ${at}::timestamptz
       WHERE id = ${id} AND "userId" = ${userId}::uuid AND status = 'complete' AND "blobSha256" IS NOT NULL AND "consumedAt" IS NULL
      RETURNING "blobSha256", size, "fileName", "mimeType"`;
    return rows[0] ?? null;
  },
};

export interface ConsumedUploadRow {
  blobSha256: string;
  size: bigint;
  fileName: string;
  mimeType: string;
}
