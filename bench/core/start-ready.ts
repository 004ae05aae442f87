// `start` to ready on an existing data folder (embedded PostgreSQL): the built server
// bundle that `./stockroom start` runs (bridge-server/dist/main.mjs, built first), and
// the same server from source through tsx for comparison. Baselines in the same run:
// Node starting an empty script, and the embedded PostgreSQL cluster starting alone.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@stockroom/prisma';
import { buildServerBundle } from '../../bridge-server/scripts/build-server.ts';
import { REPO, summarize, timeUntil } from './lib.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const source = path.join(REPO, 'bridge-server', 'src', 'main.ts');
const bundle = await buildServerBundle();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-start-'));
chmodSync(dataDir, 0o755);
const env = { STOCKROOM_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '' };
const fromBundle = (): [string, string[]] => [process.execPath, [bundle]];
const fromSource = (): [string, string[]] => [process.execPath, ['--import', 'tsx', source]];

// First start initialises the data folder; it is not what we measure.
const first = await timeUntil(...fromBundle(), env, /"msg":"ready"/);
await first.stop();

const bundled: number[] = [];
const tsx: number[] = [];
const bareNode: number[] = [];
const postgresAlone: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  for (const [samples, command] of [
    [bundled, fromBundle()],
    [tsx, fromSource()],
  ] as const) {
    const run = await timeUntil(...command, env, /"msg":"ready"/);
    samples.push(run.ms);
    await run.stop();
  }
  const empty = await timeUntil(process.execPath, ['-e', 'console.log("ready")'], {}, /ready/);
  bareNode.push(empty.ms);
  await empty.stop();
  const t0 = performance.now();
  const cluster = await startEmbeddedPostgres(path.join(dataDir, 'postgres'));
  postgresAlone.push(performance.now() - t0);
  await cluster.stop();
}
rmSync(dataDir, { recursive: true, force: true });

const s = summarize(bundled);
const n = summarize(bareNode);
const p = summarize(postgresAlone);
const result = {
  bench: 'start-to-ready',
  runs: RUNS,
  stockroomMs: s,
  fromSourceThroughTsxMs: summarize(tsx),
  baselineNodeMs: n,
  baselineEmbeddedPostgresMs: p,
  overheadOverBaselinesMs: s.p50 - n.p50 - p.p50,
  loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  target: 'p50 < 1000 ms',
};
console.log(JSON.stringify(result, null, 2));
