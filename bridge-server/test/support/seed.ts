import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Stockroom } from '../../src/compose.ts';

/**
 * Puts bytes into the real blob store and records them as a finished upload of
 * `userId`, as the tus endpoint does when an upload completes. For tests about
 * locks and versions that are not about the upload transport.
 */
export async function seedUpload(
  stockroom: Stockroom,
  userId: string,
  options: { bytes?: Buffer; fileName?: string; mimeType?: string } = {},
): Promise<{ uploadId: string; sha256: string; size: number }> {
  const bytes = options.bytes ?? randomBytes(1024);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const tmp = path.join(stockroom.config.dataDir, `seed-${randomBytes(6).toString('hex')}`);
  writeFileSync(tmp, bytes);
  const { storageKey } = await stockroom.blobStore.putFile(tmp, sha256, bytes.length);
  const db = stockroom.database.prisma;
  await db.blob.upsert({ where: { sha256 }, create: { sha256, size: bytes.length, storageKey }, update: {} });
  const uploadId = randomBytes(16).toString('hex');
  await db.upload.create({
    data: {
      id: uploadId,
      userId,
      size: bytes.length,
      declaredSha256: sha256,
      fileName: options.fileName ?? 'file.png',
      mimeType: options.mimeType ?? 'image/png',
      status: 'complete',
      blobSha256: sha256,
      completedAt: new Date(),
    },
  });
  return { uploadId, sha256, size: bytes.length };
}
