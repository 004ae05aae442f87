// Starts the S3 server the tests run against: a throw-away Ceph RADOS Gateway on
// loopback (scripts/test-s3.sh), in the background, so test files that do not
// need it never wait (the ones that do call testS3Settings() from test-s3.ts).
// No vitest import: global setup loads this file.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const REPO = path.join(import.meta.dirname, '..', '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'test-s3.sh');

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => existsSync(path.join(dir, command)));
}

export interface TestS3Handle {
  /** Folder with `env` and `ready` once up, or `failed` with the reason; '' when no S3 can run here. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * TEST_S3_DIR: a gateway someone else started (./stockroom test starts one while the
 * type check runs) — used, never stopped. Otherwise one is started here when Ceph
 * is installed, and stopped at the end.
 */
export function startTestS3(): TestS3Handle {
  if (process.env.TEST_S3_DIR) return { dir: path.resolve(process.env.TEST_S3_DIR), stop: async () => {} };
  if (process.env.S3_ENDPOINT || process.env.TEST_S3 === 'off' || !onPath('radosgw')) return { dir: '', stop: async () => {} };
  const dir = path.join(REPO, '.tmp', `s3-${process.pid}`);
  let output = '';
  const child: ChildProcess = spawn(SCRIPT, ['start', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      if (code !== 0 && existsSync(dir)) writeFileSync(path.join(dir, 'failed'), output || `exit ${code}`);
      resolve();
    });
  });
  return {
    dir,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await new Promise<void>((resolve) => spawn(SCRIPT, ['stop', dir], { stdio: 'ignore' }).once('exit', () => resolve()));
    },
  };
}
