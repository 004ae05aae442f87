import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../repositories/db.ts';
import { uploadRows } from '../repositories/uploads.ts';
import type pino from 'pino';
import type { HashingFileStore } from './hashing-file-store.ts';

export interface CleanupDeps {
  prisma: Db;
  store: HashingFileStore;
  uploadDir: string;
  expireAfterMs: number;
  logger: pino.Logger;
}

export interface CleanupResult {
  /** Unfinished uploads past their expiry: bytes removed, row marked failed. */
  expired: number;
  /** Files in the upload folder that no unfinished upload owns (left by a crash at a bad moment). */
  orphans: number;
}

/** Removes abandoned partial uploads. Safe to run from several processes at once. */
export async function cleanupExpiredUploads(deps: CleanupDeps, now = Date.now()): Promise<CleanupResult> {
  const { prisma, store, uploadDir, expireAfterMs, logger } = deps;
  const cutoff = new Date(now - expireAfterMs);
  const stale = await uploadRows.pendingCreatedBefore(prisma, cutoff);
  let expired = 0;
  for (const id of stale) {
    const marked = await uploadRows.failPending(prisma, id, `not finished within ${Math.round(expireAfterMs / 60_000)} minutes, expired`);
    await store.removeFiles(id);
    expired += marked;
  }

  let entries: string[];
  try {
    entries = await readdir(uploadDir);
  } catch {
    entries = [];
  }
  const ids = [...new Set(entries.map((entry) => entry.split('.')[0]!).filter((entry) => /^[A-Za-z0-9_-]+$/.test(entry)))];
  const pending = new Set(await uploadRows.pendingAmong(prisma, ids));
  let orphans = 0;
  for (const id of ids) {
    if (pending.has(id)) continue;
    const times = await Promise.all(
      [id, `${id}.json`, `${id}.sha256`].map((name) =>
        stat(path.join(uploadDir, name)).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    if (Math.max(...times) >= cutoff.getTime()) continue;
    await store.removeFiles(id);
    orphans += 1;
  }
  if (expired + orphans > 0) logger.info({ expired, orphans }, 'expired uploads removed');
  return { expired, orphans };
}
