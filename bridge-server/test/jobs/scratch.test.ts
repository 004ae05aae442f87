import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleScratch, withScratchDir } from '../../src/worker/scratch.ts';

describe('scratch folders', () => {
  it('removes what dead jobs left behind, never a folder a live job may still use', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'stockroom-scratch-'));
    const hourAgo = Date.now() - 3_600_000;
    const live = `job-${Date.now()}-live`;
    for (const name of [`job-${hourAgo}-dead`, `job-${hourAgo}-kept-copy-taken-again`, live, 'not-a-job']) mkdirSync(path.join(work, name));
    // A dead job's folder was last changed when it died; a kept original's folder is touched when a job takes it.
    utimesSync(path.join(work, `job-${hourAgo}-dead`), new Date(hourAgo), new Date(hourAgo));
    expect(await removeStaleScratch(work, 600_000)).toBe(1);
    expect(existsSync(path.join(work, `job-${hourAgo}-dead`))).toBe(false);
    expect(existsSync(path.join(work, `job-${hourAgo}-kept-copy-taken-again`))).toBe(true);
    expect(existsSync(path.join(work, live))).toBe(true);
    expect(existsSync(path.join(work, 'not-a-job'))).toBe(true);
    let inside = '';
    await expect(
      withScratchDir(work, async (dir) => {
        inside = dir;
        throw new Error('the job failed');
      }),
    ).rejects.toThrow('the job failed');
    expect(existsSync(inside)).toBe(false);
    rmSync(work, { recursive: true, force: true });
  });
});
