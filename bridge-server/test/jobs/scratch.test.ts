import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleScratch, withScratchDir } from '../../src/worker/scratch.ts';

describe('scratch folders', () => {
  it('removes what dead jobs left behind, never a folder a live job may still use', async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'stockroom-scratch-'));
    const hourAgo = Date.now() - 3_600_000;
    for (const name of [`job-${hourAgo}-dead`, `job-${Date.now()}-live`, 'not-a-job']) mkdirSync(path.join(work, name));
    expect(await removeStaleScratch(work, 600_000)).toBe(1);
    expect(existsSync(path.join(work, `job-${hourAgo}-dead`))).toBe(false);
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
