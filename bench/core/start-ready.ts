// `start` to ready on an existing data folder (embedded PostgreSQL), against two
// baselines measured in the same run: Node+tsx starting an empty script, and the
// embedded PostgreSQL cluster starting on its own.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@stockroom/prisma';
import { REPO, summarize, timeUntil } from './lib.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const main = path.join(REPO, 'bridge-server', 'src', 'main.ts');
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-start-'));
chmodSync(dataDir, 0o755);
const env = { STOCKROOM_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '' };
const node = (args: string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', ...args]];

// First start initialises the data folder; it is not what we measure.
const first = await timeUntil(...node([main]), env, /"msg":"ready"/);
await first.stop();

const stockroom: number[] = [];
const bareNode: number[] = [];
const postgresAlone: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const run = await timeUntil(...node([main]), env, /"msg":"ready"/);
  stockroom.push(run.ms);
  await run.stop();
  const empty = await timeUntil(...node(['-e', 'console.log("ready")']), {}, /ready/);
  bareNode.push(empty.ms);
  await empty.stop();
  const t0 = performance.now();
  const cluster = await startEmbeddedPostgres(path.join(dataDir, 'postgres'));
  postgresAlone.push(performance.now() - t0);
  await cluster.stop();
}
rmSync(dataDir, { recursive: true, force: true });

const s = summarize(stockroom);
const n = summarize(bareNode);
const p = summarize(postgresAlone);
const result = {
  bench: 'start-to-ready',
  runs: RUNS,
  stockroomMs: s,
  baselineNodeTsxMs: n,
  baselineEmbeddedPostgresMs: p,
  overheadOverBaselinesMs: s.p50 - n.p50 - p.p50,
  target: 'p50 < 3000 ms',
};
console.log(JSON.stringify(result, null, 2));
