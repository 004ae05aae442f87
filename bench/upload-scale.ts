// Upload cost against chunk count, and uploads through a load balancer that does not
// stick. Two api processes of the built server on one PostgreSQL, one shared upload
// folder and one blob folder, in one run:
//   1. the same file in 1 chunk and in 64 chunks to one process: wall time and the
//      server's CPU time (from /proc), to show the cost is linear in bytes — each PATCH
//      continues the saved SHA-256 state instead of re-reading the partial file, so 64
//      chunks cost about what 1 does, not 32 times as much;
//   2. the same 64 chunks (4 MiB each for the default 256 MiB) through a round-robin
//      proxy to both processes (every PATCH lands on the other process than the one
//      before) against the 64 chunks straight to one process: target >= 0.8 x;
//   3. like for like, the same 64 chunks through the same proxy to ONE process: what the
//      proxy itself costs, apart from what switching processes costs.
// Each variant also reports its PATCH times and the CPU of this process (the client, and
// the proxy when there is one); UPLOAD_PROFILE_DIR=<folder> writes V8 CPU profiles of
// both servers when they stop, and their output (with UPLOAD_SERVER_FLAGS="--trace-gc", the
// collections) to server-a.log and server-b.log there.
import { createCipheriv, createHash } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, startEmbeddedPostgres } from '@stockroom/prisma';
import { UPLOAD_PATH } from '@stockroom/shared-types';
import { buildServerBundle } from '../bridge-server/scripts/build-server.ts';
import { startRoundRobinProxy } from '../bridge-server/test/support/round-robin-proxy.ts';
import { REPO, timeUntil } from './core/lib.ts';

const SIZE = Number(process.env.UPLOAD_BYTES ?? 256 * 1024 * 1024);
const ROUNDS = Number(process.env.UPLOAD_ROUNDS ?? 3);
/** A folder for V8 CPU profiles of the two servers (written when they stop), to see where their time goes. */
const PROFILE_DIR = process.env.UPLOAD_PROFILE_DIR ? path.resolve(process.env.UPLOAD_PROFILE_DIR) : null;
/** More Node flags for both servers, e.g. "--trace-gc". */
const SERVER_FLAGS = (process.env.UPLOAD_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
const token = 'sr_bench_admin_token_0123456789abcdefghijklmnopqrstuv';

mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
const dir = mkdtempSync(path.join(REPO, '.tmp', 'bench-upload-scale-'));
chmodSync(dir, 0o755);
const step = (message: string) => console.error(`[upload-scale] ${message}`);

/** Incompressible, deterministic bytes. */
function makeData(): Buffer {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16, 5), Buffer.alloc(16, 0)).update(Buffer.alloc(SIZE));
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Wall time of each PATCH of one upload, in ms (where a slow upload lost its time). */
async function upload(base: string, data: Buffer, digest: string, chunks: number): Promise<number[]> {
  const headers = { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` };
  const created = await fetch(`${base}${UPLOAD_PATH}`, {
    method: 'POST',
    headers: {
      ...headers,
      'Upload-Length': String(data.length),
      'Upload-Metadata': `sha256 ${Buffer.from(digest).toString('base64')},filename ${Buffer.from('bench.bin').toString('base64')}`,
    },
  });
  if (created.status !== 201) throw new Error(`create: HTTP ${created.status} ${await created.text()}`);
  const url = new URL(created.headers.get('location')!, base).pathname;
  const size = Math.ceil(data.length / chunks);
  const patches: number[] = [];
  for (let offset = 0; offset < data.length; offset += size) {
    const t0 = performance.now();
    const response = await fetch(`${base}${url}`, {
      method: 'PATCH',
      headers: { ...headers, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: data.subarray(offset, Math.min(offset + size, data.length)),
    });
    if (response.status !== 204) throw new Error(`PATCH at ${offset}: HTTP ${response.status} ${await response.text()}`);
    patches.push(performance.now() - t0);
  }
  return patches;
}

interface Measured {
  seconds: number;
  /** CPU time of the server processes. */
  cpuSeconds: number;
  benchCpuSeconds: number;
  patchMs: { p50: number; max: number };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const cluster = await startEmbeddedPostgres(path.join(dir, 'pg'));
try {
  step(`making ${SIZE} bytes`);
  const data = makeData();
  const digest = createHash('sha256').update(data).digest('hex');
  step('building the server bundle');
  const bundle = await buildServerBundle();
  const blobs = path.join(dir, 'blobs');
  const common = {
    DATABASE_URL: cluster.url,
    STORAGE_DIR: blobs,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    STOCKROOM_ADMIN_TOKEN: token,
    WORKER_HTTP_PORT: '0',
  };
  const servers = [];
  for (const name of ['a', 'b']) {
    const port = await findFreePort();
    step(`starting api process ${name}`);
    if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
    const log = PROFILE_DIR ? createWriteStream(path.join(PROFILE_DIR, `server-${name}.log`)) : null;
    const server = await timeUntil(
      process.execPath,
      [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), ...SERVER_FLAGS, bundle, '--role', 'api'],
      { ...common, STOCKROOM_DATA_DIR: path.join(dir, name), PORT: String(port), LOG_LEVEL: 'info' },
      /"msg":"ready"/,
      log ? (chunk) => log.write(chunk) : undefined,
    );
    servers.push({ server, url: `http://127.0.0.1:${port}`, pid: server.pid });
  }
  const proxy = await startRoundRobinProxy(servers.map((s) => s.url));
  const proxyToOne = await startRoundRobinProxy([servers[0]!.url]);
  const drop = () => rmSync(path.join(blobs, digest.slice(0, 2), digest.slice(2, 4), digest), { force: true });
  const one = servers[0]!;
  const measure = async (base: string, chunks: number, pids: number[]): Promise<Measured> => {
    drop();
    const cpu0 = pids.reduce((s, pid) => s + cpuSeconds(pid), 0);
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    const patches = await upload(base, data, digest, chunks);
    const seconds = (performance.now() - t0) / 1000;
    const own = process.cpuUsage(own0);
    return {
      seconds,
      cpuSeconds: pids.reduce((s, pid) => s + cpuSeconds(pid), 0) - cpu0,
      // The client, and the proxy when there is one: both run in this process.
      benchCpuSeconds: (own.user + own.system) / 1e6,
      patchMs: { p50: median(patches), max: Math.max(...patches) },
    };
  };
  try {
    const rows: Array<Record<string, Measured>> = [];
    for (let r = 0; r < ROUNDS; r++) {
      step(`round ${r + 1} of ${ROUNDS}`);
      // Interleaved, so a busy moment on a shared machine hits every variant alike.
      rows.push({
        oneChunk: await measure(one.url, 1, [one.pid]),
        sixtyFourChunks: await measure(one.url, 64, [one.pid]),
        sixtyFourChunksProxy: await measure(
          proxy.url,
          64,
          servers.map((s) => s.pid),
        ),
        sixtyFourChunksProxyToOne: await measure(proxyToOne.url, 64, [one.pid]),
      });
    }
    const med = (key: string, field: 'seconds' | 'cpuSeconds') => median(rows.map((row) => row[key]![field]));
    const mib = SIZE / 1024 / 1024;
    console.log(
      JSON.stringify(
        {
          bench: 'upload-scale',
          bytes: SIZE,
          rounds: rows.map((row) =>
            Object.fromEntries(
              Object.entries(row).map(([k, v]) => [
                k,
                {
                  seconds: round(v.seconds),
                  cpuSeconds: round(v.cpuSeconds),
                  benchCpuSeconds: round(v.benchCpuSeconds),
                  patchMs: { p50: round(v.patchMs.p50), max: round(v.patchMs.max) },
                },
              ]),
            ),
          ),
          median: {
            oneChunkMiBps: round(mib / med('oneChunk', 'seconds')),
            sixtyFourChunksMiBps: round(mib / med('sixtyFourChunks', 'seconds')),
            cpu64To1: round(med('sixtyFourChunks', 'cpuSeconds') / med('oneChunk', 'cpuSeconds')),
            time64To1: round(med('sixtyFourChunks', 'seconds') / med('oneChunk', 'seconds')),
            sixtyFourChunksProxyMiBps: round(mib / med('sixtyFourChunksProxy', 'seconds')),
            sixtyFourChunksProxyToOneMiBps: round(mib / med('sixtyFourChunksProxyToOne', 'seconds')),
            // Both ratios are speeds (time of the baseline / time of the round-robin run).
            proxyToDirect: round(median(rows.map((row) => row.sixtyFourChunks!.seconds / row.sixtyFourChunksProxy!.seconds))),
            proxyToProxyToOne: round(median(rows.map((row) => row.sixtyFourChunksProxyToOne!.seconds / row.sixtyFourChunksProxy!.seconds))),
          },
          proxyRequests: proxy.counts,
          loadAverage: os.loadavg().map(round),
          target: 'cpu64To1 close to 1 (linear in bytes, not chunks); proxyToDirect >= 0.8 (proxyToProxyToOne: the same, without the cost of the proxy itself)',
        },
        null,
        2,
      ),
    );
  } finally {
    await proxy.close();
    await proxyToOne.close();
    for (const s of servers) await s.server.stop();
  }
} finally {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
}
