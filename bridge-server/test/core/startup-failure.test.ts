// The sentence for an embedded PostgreSQL whose programs cannot be run (a checkout the
// "postgres" user cannot enter gives spawn EACCES): from a real spawn error, not a made-up one.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { describeStartupFailure } from '../../src/startup-failure.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spawnError(file: string): Promise<Error> {
  return new Promise((resolve) => spawn(file).on('error', resolve));
}

describe('start-up failure sentences', () => {
  it('names the folders to open up when the embedded PostgreSQL cannot run its programs', async () => {
    const initdb = path.join(dir, 'initdb');
    writeFileSync(initdb, '#!/bin/sh\n');
    chmodSync(initdb, 0o644); // not executable: what a folder the user cannot enter also gives
    const error = await spawnError(initdb);
    expect((error as NodeJS.ErrnoException).code).toBe('EACCES');
    const described = describeStartupFailure(error, { host: '0.0.0.0', port: 7370, databaseUrl: undefined } as unknown as Config);
    expect(described.known).toBe(true);
    expect(described.sentence).toContain(initdb);
    expect(described.sentence).toMatch(/postgres" user, which must be able to enter every folder of this checkout and of STOCKROOM_DATA_DIR/);
    expect(described.sentence).not.toMatch(/\n\s+at /);
  });

  it('leaves other spawn failures to the stack trace', async () => {
    const other = path.join(dir, 'ffmpeg');
    writeFileSync(other, '#!/bin/sh\n');
    chmodSync(other, 0o644);
    const described = describeStartupFailure(await spawnError(other), { host: '0.0.0.0', port: 7370, databaseUrl: undefined } as unknown as Config);
    expect(described.known).toBe(false);
  });
});
