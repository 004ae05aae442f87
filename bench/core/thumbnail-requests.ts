// What serving one thumbnail costs: GETs of ready 256 px WebP thumbnails with a bearer token
// (authentication, the person's grants, the derivative's row, the file), three at a time as a
// grid row asks for them, against a bare Node HTTP server in the same process sending the
// same file from disk with no checks at all — the floor of any server. The two are
// interleaved row by row, so both see the same machine. Reports latency per request and the
// process's CPU per request (the client's share is the same in both legs).
// Usage: RUNS=3 ROWS=300 pnpm bench thumbnail-requests
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, startStockroom, createLogger } from '@stockroom/bridge-server';
import { PostgresSearchIndex } from '../../bridge-server/src/adapters/search/postgres.ts';
import { freshDir } from '../derivatives/lib.ts';
import { generateAssets } from '../search/corpus.ts';
import { percentile } from './lib.ts';
import { seedThumbnails } from './thumbnails.ts';

const ASSETS = Number(process.env.ASSETS ?? 5_000);
const RUNS = Number(process.env.RUNS ?? 3);
const ROWS = Number(process.env.ROWS ?? 300);
const ROW = 3;
const TOKEN = 'sr_bench_admin_token_0123456789abcdefghijklmnopqrstuvwxyz';

const dataDir = freshDir('thumbnail-requests');
const config = loadConfig({ STOCKROOM_DATA_DIR: dataDir, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', STOCKROOM_ADMIN_TOKEN: TOKEN });
const stockroom = await startStockroom(config, { logger: createLogger('warn') });
const db = stockroom.database.prisma;
await generateAssets(db, ASSETS, () => {});
await new PostgresSearchIndex(db).rebuild();
await seedThumbnails(stockroom, dataDir);
const versions = await db.version.findMany({
  take: ROWS * ROW,
  select: { assetId: true, number: true, derivatives: { where: { preset: 'thumbnail' }, select: { blobSha256: true } } },
});
const file = stockroom.blobStore.localPath?.(versions[0]!.derivatives[0]!.blobSha256!);
if (!file) throw new Error('the bench needs the disk blob store (the embedded default)');
const size = statSync(file).size;

const bare = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'image/webp', 'Content-Length': size });
  createReadStream(file).pipe(res);
});
await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bare.address() as { port: number }).port}`;
const base = stockroom.http!.url;

async function get(url: string, headers: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const response = await fetch(url, { headers });
  const bytes = (await response.arrayBuffer()).byteLength;
  if (response.status !== 200 || bytes !== size) throw new Error(`${url}: ${response.status}, ${bytes} bytes`);
  return performance.now() - t0;
}

const stockroomRow = (row: number) =>
  versions
    .slice(row * ROW, row * ROW + ROW)
    .map((v) => get(`${base}/api/assets/${v.assetId}/versions/${v.number}/derivatives/thumbnail/content`, { Authorization: `Bearer ${TOKEN}` }));
const bareRow = (row: number) => Array.from({ length: ROW }, (_, i) => get(`${bareUrl}/t/${row * ROW + i}`, {}));

// Warm-up: connections, code paths and caches of both.
for (let row = 0; row < 30; row++) {
  await Promise.all(stockroomRow(row));
  await Promise.all(bareRow(row));
}

const stats = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: Math.round(percentile(sorted, 50) * 100) / 100, p95: Math.round(percentile(sorted, 95) * 100) / 100 };
};
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const runs = [];
for (let run = 1; run <= RUNS; run++) {
  const ours: number[] = [];
  const floor: number[] = [];
  let oursCpu = 0;
  let floorCpu = 0;
  for (let row = 0; row < ROWS; row++) {
    // Which leg goes first alternates, so neither always meets the other's leftovers.
    for (const leg of row % 2 ? ['bare', 'stockroom'] : ['stockroom', 'bare']) {
      const c0 = cpuMs();
      if (leg === 'stockroom') ours.push(...(await Promise.all(stockroomRow(row))));
      else floor.push(...(await Promise.all(bareRow(row))));
      if (leg === 'stockroom') oursCpu += cpuMs() - c0;
      else floorCpu += cpuMs() - c0;
    }
  }
  const o = stats(ours);
  const f = stats(floor);
  const result = {
    run,
    stockroom: { ...o, cpuMsPerRequest: Math.round((oursCpu / ours.length) * 100) / 100 },
    bare: { ...f, cpuMsPerRequest: Math.round((floorCpu / floor.length) * 100) / 100 },
    ratioP50: Math.round((f.p50 / o.p50) * 100) / 100,
    load: os.loadavg()[0]!.toFixed(2),
  };
  console.error(JSON.stringify(result));
  runs.push(result);
}
console.log(JSON.stringify({ machine: `${os.cpus().length} × ${os.cpus()[0]?.model}`, assets: ASSETS, rowsPerRun: ROWS, perRow: ROW, runs }, null, 2));
bare.close();
await stockroom.stop();
