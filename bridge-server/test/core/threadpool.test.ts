// ./stockroom sizes libuv's thread pool (scripts/runtime-env.sh) before Node starts. Shown
// without timing: FIFOs opened for reading each hold a pool thread until a writer comes,
// so with six of them pending a stat() completes only if the pool has more than six threads.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/server.ts';

const REPO = path.join(import.meta.dirname, '..', '..', '..');
const RUNTIME_ENV = path.join(REPO, 'scripts', 'runtime-env.sh');

/** Blocks six pool threads in a child Node and reports whether a stat() still got through. */
const PROBE = `
  import { constants, openSync } from 'node:fs';
  import { open, stat } from 'node:fs/promises';
  const fifos = process.argv.slice(1);
  const held = fifos.map((fifo) => open(fifo, 'r'));
  const answer = await Promise.race([
    stat('.').then(() => 'stat done'),
    new Promise((resolve) => setTimeout(() => resolve('stat blocked'), 3000)),
  ]);
  console.log(answer + ' with ' + (process.env.UV_THREADPOOL_SIZE ?? 'the default'));
  // Opening a FIFO read-write never blocks and gives it a writer: every open() of it for
  // reading returns, also those still queued for a thread, so the threads are freed and the
  // process can exit (it would wait for them forever).
  for (const fifo of fifos) openSync(fifo, constants.O_RDWR);
  await Promise.all(held);
`;

function probe(shellPrefix: string, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = makeTempDir('threadpool');
  const fifos = Array.from({ length: 6 }, (_, i) => path.join(dir, `fifo-${i}`));
  execFileSync('mkfifo', fifos);
  const command = `${shellPrefix} exec "${process.execPath}" --input-type=module -e "$PROBE" "$@"`;
  const child = spawn('bash', ['-c', command, 'probe', ...fifos], { cwd: dir, env: { ...env, PROBE } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((resolve) => {
    // Never hang the suite: a probe that does not end within 20 s fails with what it printed.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ? `${out.trim()} (killed: did not end)` : out.trim());
    });
  });
}

describe('libuv thread pool', () => {
  const inherited = { ...process.env };
  delete inherited.UV_THREADPOOL_SIZE;

  it('has 16 threads in processes ./stockroom starts, unless UV_THREADPOOL_SIZE says otherwise', async () => {
    expect(await probe(`source "${RUNTIME_ENV}";`, inherited)).toBe('stat done with 16');
    expect(await probe(`source "${RUNTIME_ENV}";`, { ...inherited, UV_THREADPOOL_SIZE: '5' })).toBe('stat blocked with 5');
    // Without it, Node's default of 4 blocks: the probe does measure the pool.
    expect(await probe('', inherited)).toBe('stat blocked with the default');
  });

  it('is set by ./stockroom before any command and by the container image', () => {
    expect(readFileSync(path.join(REPO, 'stockroom'), 'utf8')).toMatch(/^source scripts\/runtime-env\.sh$/m);
    expect(readFileSync(path.join(REPO, 'deploy', 'Dockerfile'), 'utf8')).toMatch(/^ENV .*\bUV_THREADPOOL_SIZE=16\b/m);
  });
});
