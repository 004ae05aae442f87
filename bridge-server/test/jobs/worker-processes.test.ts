// The worker role as separate processes: a SIGKILL in the middle of a transcode, and two
// workers sharing one queue.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startStockroom, type Stockroom } from '../../src/compose.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { makeTempDir } from '../support/server.ts';
import { addAsset, adminActor, settled } from './helpers.ts';

const run = promisify(execFile);
const MAIN = path.join(import.meta.dirname, '..', '..', 'src', 'main.ts');

let database: TestDatabase;
let dataDir: string;
let producer: Stockroom;
let env: Record<string, string>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = makeTempDir('workers');
  // A slow proxy preset, so that a transcode is surely running when the worker is killed.
  const presets = path.join(dataDir, 'presets.json');
  writeFileSync(
    presets,
    JSON.stringify({
      still: { thumbnail: { type: 'image', size: 256 }, preview: { type: 'image', size: 1600 } },
      video: { proxy: { type: 'proxy', speed: 'slow' } },
      audio: {},
    }),
  );
  env = {
    DATABASE_URL: database.url,
    STOCKROOM_DATA_DIR: dataDir,
    DERIVATIVE_PRESETS_FILE: presets,
    JOB_HEARTBEAT_SECONDS: '10',
    JOB_SUPERVISE_SECONDS: '2',
    JOB_POLL_SECONDS: '0.5',
    JOB_RETRY_DELAY_SECONDS: '1',
    WORKER_CONCURRENCY: '1',
    WORKER_HTTP_PORT: '0',
  };
  const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
  // The producer creates versions (and so jobs) but runs none itself.
  producer = await startStockroom(config, { role: 'tool', logger: createLogger('silent') });
});

afterEach(async () => {
  await Promise.all(children.splice(0).map(stopChild));
});

afterAll(async () => {
  await producer?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Worker {
  child: ChildProcess;
  output: () => string;
}

async function startWorker(): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--role', 'worker'], {
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      if (output.includes('worker is taking derivative jobs')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output };
}

async function childCommands(pid: number): Promise<string[]> {
  const { stdout } = await run('ps', ['--ppid', String(pid), '-o', 'comm=']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').map((line) => line.trim());
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function versionIdOf(assetId: string): Promise<string> {
  const version = await producer.database.prisma.version.findFirstOrThrow({ where: { assetId }, select: { id: true } });
  return version.id;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('worker processes', () => {
  it('a worker killed with SIGKILL mid-transcode: after a restart the job completes exactly once', async () => {
    const clip = path.join(dataDir, 'clip-720p.mp4');
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=1280x720:rate=25:duration=2',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      clip,
    ]);
    const db = producer.database.prisma;
    const asset = await addAsset(producer, await adminActor(producer), clip);

    const first = await startWorker();
    const processing = await waitFor('the proxy to start', () =>
      db.derivative.findFirst({ where: { version: { assetId: asset.id }, preset: 'proxy', status: 'processing' } }),
    );
    // Kill the worker the moment its ffmpeg transcode is running.
    await waitFor('ffmpeg to run', async () => (await childCommands(first.child.pid!)).includes('ffmpeg'));
    first.child.kill('SIGKILL');
    expect((await db.derivative.findUniqueOrThrow({ where: { id: processing.id } })).status).toBe('processing');
    await new Promise((resolve) => first.child.once('exit', resolve));

    await startWorker();
    await settled(producer, [asset.id], 150_000);
    const rows = await db.derivative.findMany({ where: { version: { assetId: asset.id } } });
    expect(rows).toHaveLength(1);
    const proxy = rows[0]!;
    expect(proxy).toMatchObject({ preset: 'proxy', status: 'ready', width: 1280, height: 720, attempts: 2 });
    expect(proxy.durationSeconds).toBeCloseTo(2, 0);
    expect(await producer.blobStore.has(proxy.blobSha256!)).toBe(true);
    expect(await db.blob.count({ where: { sha256: proxy.blobSha256! } })).toBe(1);
    // The queue holds one job for its version, completed; no second copy ran.
    const jobs = await db.$queryRaw<{ state: string; retry_count: number }[]>`
      SELECT state::text AS state, retry_count FROM pgboss.job WHERE name = 'media-derivative' AND data->>'versionId' = ${await versionIdOf(asset.id)}`;
    expect(jobs).toEqual([{ state: 'completed', retry_count: 1 }]);
  }, 180_000);

  it('two worker processes on one queue: every job is processed exactly once', async () => {
    const db = producer.database.prisma;
    const actor = await adminActor(producer);
    // Both workers idle first, so neither has a head start on the queue.
    const [a, b] = await Promise.all([startWorker(), startWorker()]);
    const ids: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const file = path.join(dataDir, `picture-${i}.jpg`);
      await sharp({ create: { width: 1200, height: 800, channels: 3, background: { r: i * 20, g: 100, b: 200 - i * 10 } } })
        .jpeg()
        .toFile(file);
      ids.push((await addAsset(producer, actor, file)).id);
    }
    const rows = [...(await settled(producer, ids, 120_000)).values()].flat();
    expect(rows).toHaveLength(16);
    for (const row of rows) expect({ status: row.status, attempts: row.attempts }).toEqual({ status: 'ready', attempts: 1 });

    const madeBy = (output: string) => new Set([...output.matchAll(/"derivativeId":"([0-9a-f-]{36})"[^\n]*"msg":"derivative ready"/g)].map((m) => m[1]));
    const byA = madeBy(a.output());
    const byB = madeBy(b.output());
    expect(byA.size + byB.size).toBe(16);
    expect([...byA].filter((id) => byB.has(id))).toEqual([]);
    expect(byA.size).toBeGreaterThan(0);
    expect(byB.size).toBeGreaterThan(0);
    // One job per version (its thumbnail and preview), each completed at its first try.
    const versionIds = await Promise.all(ids.map(versionIdOf));
    const jobs = await db.$queryRaw<{ state: string; retry_count: number }[]>`
      SELECT state::text AS state, retry_count FROM pgboss.job WHERE name = 'media-derivative' AND data->>'versionId' = ANY(${versionIds}::text[])`;
    expect(jobs).toHaveLength(8);
    expect(jobs.every((j) => j.state === 'completed' && j.retry_count === 0)).toBe(true);
  }, 180_000);
});
