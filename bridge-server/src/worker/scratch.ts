import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../ports/blob-store.ts';

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

/**
 * Removes scratch folders left by workers that died mid-job (a SIGKILL skips the cleanup).
 * Only folders older than the longest a job may run, so live jobs of other workers sharing
 * the folder are never touched.
 */
export async function removeStaleScratch(workDir: string, olderThanMs: number): Promise<number> {
  const entries = await readdir(workDir).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const name of entries) {
    const started = Number(/^job-(\d+)-/.exec(name)?.[1]);
    if (started && started < cutoff) {
      await rm(path.join(workDir, name), { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}

/**
 * A local file with a stored blob's bytes: the blob itself when the store is on this disk
 * (blobs are immutable; the tools only read), otherwise a copy in `dir`, named `baseName`.
 */
export async function materialize(blobStore: BlobStore, sha256: string, dir: string, originalName: string, baseName = 'source'): Promise<string> {
  const inPlace = blobStore.localPath?.(sha256);
  if (inPlace && (await stat(inPlace).catch(() => null))?.isFile()) return inPlace;
  // The original's extension is kept: ffmpeg uses it as a hint.
  const extension = path
    .extname(originalName)
    .toLowerCase()
    .replace(/[^.a-z0-9]/g, '');
  const file = path.join(dir, `${baseName}${extension}`);
  await pipeline(await blobStore.createReadStream(sha256), createWriteStream(file));
  return file;
}
