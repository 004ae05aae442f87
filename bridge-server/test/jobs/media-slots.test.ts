// A worker converts at most WORKER_CONCURRENCY files at once, while its extra queue lanes
// already claim the next job (so the queue round trips never leave a core idle).
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startStockroom, type Stockroom } from '../../src/compose.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { makeTempDir } from '../support/server.ts';
import { addAsset, adminActor, settled } from './helpers.ts';

const run = promisify(execFile);

let database: TestDatabase;
let dataDir: string;
let producer: Stockroom;
let worker: Stockroom | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = makeTempDir('media-slots');
  // Only the proxy (a few seconds of ffmpeg each), so every ffmpeg running is a proxy job.
  const presets = path.join(dataDir, 'presets.json');
  writeFileSync(presets, JSON.stringify({ still: {}, video: { proxy: { type: 'proxy', speed: 'slow' } }, audio: {} }));
  env = {
    DATABASE_URL: database.url,
    STOCKROOM_DATA_DIR: dataDir,
    DERIVATIVE_PRESETS_FILE: presets,
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'silent',
    WORKER_HTTP_PORT: '0',
  };
  producer = await startStockroom(loadConfig(env), { role: 'tool', logger: createLogger('silent') });
});

afterAll(async () => {
  await worker?.stop();
  await producer?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function runningFfmpeg(): Promise<number> {
  const { stdout } = await run('ps', ['--ppid', String(process.pid), '-o', 'comm=']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((line) => line.trim() === 'ffmpeg').length;
}

/** Two short clips of different lengths, added as assets (their proxy jobs are queued at once). */
async function addTwoClips(name: string): Promise<string[]> {
  const actor = await adminActor(producer);
  const ids: string[] = [];
  for (let i = 0; i < 2; i += 1) {
    const clip = path.join(dataDir, `${name}-${i}.mp4`);
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=25:duration=${2 + i}`,
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      clip,
    ]);
    ids.push((await addAsset(producer, actor, clip)).id);
  }
  return ids;
}

/** Watches until every derivative of `ids` has settled: the most ffmpeg processes and claimed derivatives seen at once. */
async function watchUntilSettled(ids: string[]) {
  const db = producer.database.prisma;
  let mostFfmpeg = 0;
  let mostClaimed = 0;
  const done = settled(producer, ids, 150_000);
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const [ffmpeg, claimed] = await Promise.all([runningFfmpeg(), db.derivative.count({ where: { status: 'processing' } })]);
    mostFfmpeg = Math.max(mostFfmpeg, ffmpeg);
    mostClaimed = Math.max(mostClaimed, claimed);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const rows = [...(await done).values()].flat();
  return { statuses: rows.map((r) => r.status), mostFfmpeg, mostClaimed };
}

describe('media slots', () => {
  it('one slot: two proxies are claimed together but transcoded one after the other', async () => {
    const ids = await addTwoClips('clip');
    worker = await startStockroom(loadConfig(env), { role: 'worker', logger: createLogger('silent') });
    const seen = await watchUntilSettled(ids);
    expect(seen.statuses).toEqual(['ready', 'ready']);
    expect(seen.mostFfmpeg).toBe(1);
    // The second lane held its job (claimed) while the first one's transcode ran.
    expect(seen.mostClaimed).toBe(2);
  }, 180_000);

  it('two slots: two proxies queued at once are transcoded side by side, as two ffmpeg commands started together would be', async () => {
    await worker?.stop();
    worker = undefined;
    const ids = await addTwoClips('pair');
    worker = await startStockroom(loadConfig({ ...env, WORKER_CONCURRENCY: '2' }), { role: 'worker', logger: createLogger('silent') });
    const seen = await watchUntilSettled(ids);
    expect(seen.statuses).toEqual(['ready', 'ready']);
    expect(seen.mostFfmpeg).toBe(2);
  }, 180_000);
});
