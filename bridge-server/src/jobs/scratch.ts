import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../adapters/blob-store/types.ts';

/** A private folder for one job attempt, removed afterwards whatever happened. */
export async function withScratchDir<T>(workDir: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = path.join(workDir, `job-${Date.now()}-${randomBytes(6).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies a stored blob to a local file, keeping the original's extension (ffmpeg uses it as a hint). */
export async function materialize(blobStore: BlobStore, sha256: string, dir: string, originalName: string): Promise<string> {
  const extension = path.extname(originalName).toLowerCase().replace(/[^.a-z0-9]/g, '');
  const file = path.join(dir, `source${extension}`);
  await pipeline(await blobStore.createReadStream(sha256), createWriteStream(file));
  return file;
}

export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { sha256: hash.digest('hex'), size: (await stat(file)).size };
}
