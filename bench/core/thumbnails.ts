// Ready thumbnails for seeded assets, without running the worker over 100,000 files:
// real WebP images made with sharp, stored in the blob store, and derivative rows pointing at them.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Stockroom } from '@stockroom/bridge-server';

/** A 256 px WebP with grain (so it decodes like a picture); every call makes different bytes. */
async function grainyWebp(background: string): Promise<Buffer> {
  return sharp({ create: { width: 256, height: 169, channels: 3, background, noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
    .webp({ quality: 80 })
    .toBuffer();
}

/** Puts the bytes into the blob store (and its blobs table); returns their SHA-256. */
async function storeBlob(stockroom: Stockroom, dir: string, bytes: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = path.join(dir, `${sha256}.webp`);
  writeFileSync(file, bytes);
  const { storageKey } = await stockroom.blobStore.putFile(file, sha256, bytes.length);
  await stockroom.database.prisma.blob.upsert({ where: { sha256 }, create: { sha256, size: bytes.length, storageKey }, update: {} });
  return sha256;
}

/**
 * One WebP as the ready thumbnail of every version. With `waveforms`, sound versions get it
 * as their `waveform` too (the derivative the panels show for audio).
 */
export async function seedThumbnails(stockroom: Stockroom, dir: string, { waveforms = false } = {}): Promise<void> {
  const bytes = await grainyWebp('#6a8caf');
  const sha256 = await storeBlob(stockroom, dir, bytes);
  const db = stockroom.database.prisma;
  const insert = (preset: string, where: string) =>
    db.$executeRawUnsafe(
      `INSERT INTO derivatives (id, "versionId", preset, status, "blobSha256", "mimeType", size, width, height, "updatedAt", "finishedAt")
       SELECT gen_random_uuid(), id, '${preset}', 'ready', $1, 'image/webp', ${bytes.length}, 256, 169, now(), now() FROM versions ${where}
       ON CONFLICT ("versionId", preset) DO NOTHING`,
      sha256,
    );
  await insert('thumbnail', '');
  if (waveforms) await insert('waveform', `WHERE "mimeType" LIKE 'audio/%'`);
  await db.$executeRawUnsafe('ANALYZE derivatives');
}

/**
 * Gives these versions' derivatives (made ready by seedThumbnails) pictures of their own, so a
 * browser cannot reuse one decoded image for several cards.
 */
export async function giveOwnThumbnails(stockroom: Stockroom, dir: string, derivatives: Array<{ versionId: string; preset: string }>): Promise<void> {
  const palette = ['#6a8caf', '#af7a6a', '#7aaf6a', '#9a6aaf', '#afa06a', '#6aafa8'];
  const db = stockroom.database.prisma;
  for (const [i, { versionId, preset }] of derivatives.entries()) {
    const bytes = await grainyWebp(palette[i % palette.length]!);
    const sha256 = await storeBlob(stockroom, dir, bytes);
    await db.derivative.update({ where: { versionId_preset: { versionId, preset } }, data: { blobSha256: sha256, size: BigInt(bytes.length) } });
  }
}
