import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '@stockroom/prisma';
import type pino from 'pino';
import type { HashingFileStore } from './hashing-file-store.ts';

export interface CleanupDeps {
  prisma: PrismaClient;
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
  const stale = await prisma.upload.findMany({ where: { status: 'pending', createdAt: { lt: cutoff } }, select: { id: true } });
  let expired = 0;
  for (const { id } of stale) {
    const marked = await prisma.upload.updateMany({
      where: { id, status: 'pending' },
      data: { status: 'failed', failure: `not finished within ${Math.round(expireAfterMs / 60_000)} minutes, expired` },
    });
    await store.removeFiles(id);
    expired += marked.count;
  }

  let entries: string[];
  try {
    entries = await readdir(uploadDir);
  } catch {
    entries = [];
  }
  const ids = [...new Set(entries.map((entry) => entry.split('.')[0]!).filter((entry) => /^[A-Za-z0-9_-]+$/.test(entry)))];
  const pending = new Set(
    (await prisma.upload.findMany({ where: { id: { in: ids }, status: 'pending' }, select: { id: true } })).map((u) => u.id),
  );
  let orphans = 0;
  for (const id of ids) {
    if (pending.has(id)) continue;
    const times = await Promise.all(
      [id, `${id}.json`, `${id}.sha256`].map((name) => stat(path.join(uploadDir, name)).then((s) => s.mtimeMs, () => 0)),
    );
    if (Math.max(...times) >= cutoff.getTime()) continue;
    await store.removeFiles(id);
    orphans += 1;
  }
  if (expired + orphans > 0) logger.info({ expired, orphans }, 'expired uploads removed');
  return { expired, orphans };
}
