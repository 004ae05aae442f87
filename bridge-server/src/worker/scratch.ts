import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** A new scratch folder's path in `workDir`; its name starts with when it was made (see removeStaleScratch). */
export function scratchDirIn(workDir: string): string {
  return path.join(workDir, `job-${Date.now()}-${randomBytes(6).toString('hex')}`);
}

/** A private folder for one job attempt, removed afterwards whatever happened. */
export async function withScratchDir<T>(workDir: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = scratchDirIn(workDir);
  await mkdir(dir, { recursive: true });
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Removes scratch folders left by workers that died mid-job (a SIGKILL skips the cleanup).
 * Only folders made and last changed longer ago than the longest a job may run, so live jobs
 * of other workers sharing the folder are never touched (a kept original taken by a new job
 * is touched when taken: see LocalOriginals).
 */
export async function removeStaleScratch(workDir: string, olderThanMs: number): Promise<number> {
  const entries = await readdir(workDir).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const name of entries) {
    const started = Number(/^job-(\d+)-/.exec(name)?.[1]);
    if (started && started < cutoff) {
      const changed = (await stat(path.join(workDir, name)).catch(() => null))?.mtimeMs ?? 0;
      if (changed >= cutoff) continue;
      await rm(path.join(workDir, name), { recursive: true, force: true });
      removed += 1;
    }
  }
  return removed;
}
