// Upload throughput: a 2 GiB file through the tus endpoint of the real `stockroom`
// program on loopback (embedded defaults: embedded PostgreSQL, blobs on disk), against
// `cp` of the same file on the same disk, in one run. The upload's time runs from the
// first request to the server's answer to the last byte, so it includes the server's
// streaming SHA-256, the fsync and the move into the blob store. Each round measures the
// endpoint with a minimal streaming tus client that declares a SHA-256 computed
// beforehand, and the project's BridgeClient (tus-js-client underneath) from a file path,
// hash included: what a panel or script does from the moment it is handed the file. It
// hashes from the reads that send the file and declares the SHA-256 after the bytes; the
// same client hashing first (the SHA-256 declared at creation, as before) runs in the same
// round. The server's RSS is sampled during the BridgeClient upload.
//
// Two more measurements put the ratio in context, in the same run: the floor of any
// verified upload in Node (a bare HTTP server that hashes and writes the body, no tus, no
// database), and a cold round where the page cache is dropped before `cp` and before the
// upload, so both read the source from the disk (needs root; skipped otherwise).
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import WebSocket from 'ws';
import { BridgeClient, type WebSocketConstructor } from '@stockroom/bridge-client';
import { fileSource } from '@stockroom/bridge-client/node';
import { findFreePort } from '@stockroom/prisma';
import { UPLOAD_PATH } from '@stockroom/shared-types';
import { buildServerBundle } from '../bridge-server/scripts/build-server.ts';
import { REPO, timeUntil } from './core/lib.ts';

const SIZE = Number(process.env.UPLOAD_BYTES ?? 2 * 1024 ** 3);
// BridgeClient's request size: its own default unless set (a file streamed from disk goes
// in one request).
const CHUNK_BYTES = process.env.UPLOAD_CHUNK_BYTES ? Number(process.env.UPLOAD_CHUNK_BYTES) : undefined;
const ROUNDS = Number(process.env.UPLOAD_ROUNDS ?? 3);
const token = 'sr_bench_admin_token_0123456789abcdefghijklmnopqrstuv';

// Everything on one filesystem (the repo's .tmp), so `cp` and the upload write to the same disk.
mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
const dir = mkdtempSync(path.join(REPO, '.tmp', 'bench-upload-'));
// The embedded PostgreSQL runs as another user when started as root: it must be able to enter.
chmodSync(dir, 0o755);
const file = path.join(dir, 'source.bin');

/** Deterministic pseudo-random bytes (AES-128-CTR over zeros): incompressible, quick to make. */
async function generate(): Promise<string> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 3), Buffer.alloc(16, 0));
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  const zeros = Buffer.alloc(8 * 1024 * 1024);
  for (let written = 0; written < SIZE; written += zeros.length) {
    const chunk = cipher.update(zeros.subarray(0, Math.min(zeros.length, SIZE - written)));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

function seconds(run: () => void): number {
  const t0 = performance.now();
  run();
  return (performance.now() - t0) / 1000;
}

/** Progress on stderr, so a long run shows where it is; the results go to stdout. */
function step(message: string): void {
  console.error(`[upload-bench] ${message}`);
}

try {
  step(`writing a ${SIZE} byte source file`);
  const sha256 = await generate();
  execFileSync('sync');

  const port = await findFreePort();
  const dataDir = path.join(dir, 'data');
  // What `./stockroom start` runs: the built server.
  step('building the server bundle');
  const bundle = await buildServerBundle();
  step('starting the server');
  // UPLOAD_PROFILE_DIR: the server writes a V8 CPU profile there when it stops (where the time goes).
  const profile = process.env.UPLOAD_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.UPLOAD_PROFILE_DIR}`] : [];
  const server = await timeUntil(
    process.execPath,
    [...profile, bundle],
    { STOCKROOM_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', STOCKROOM_ADMIN_TOKEN: token },
    /"msg":"ready"/,
  );
  const rounds: Array<{
    uploadSeconds: number;
    cpSeconds: number;
    cpFsyncSeconds: number;
    bareNodeSeconds: number;
    bridgeClientSeconds: number;
    serverRssGrowthMiB: number;
    hashFirstSeconds: number;
    /** CPU seconds of this process (the client) and of the server during each BridgeClient upload: less noisy than wall time on a shared machine. */
    cpu: { client: number; server: number; hashFirstClient: number; hashFirstServer: number };
  }> = [];
  let cold: { cpSeconds: number; uploadSeconds: number } | null = null;
  const bare = await startBareVerifiedUploadServer(path.join(dir, 'bare.bin'));
  try {
    const client = new BridgeClient({
      serverUrl: `http://127.0.0.1:${port}`,
      token,
      client: { app: 'script', appVersion: 'bench', pluginVersion: 'bench' },
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      ...(CHUNK_BYTES ? { upload: { chunkSize: CHUNK_BYTES } } : {}),
    });
    // Rounds alternate cp and upload, so a busy moment on a shared machine hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      step(`round ${round + 1} of ${ROUNDS}: cp, cp + sync, upload, bare Node upload, BridgeClient upload`);
      const copy = path.join(dir, 'copy.bin');
      const cpSeconds = seconds(() => execFileSync('cp', [file, copy]));
      rmSync(copy);
      execFileSync('sync');
      const cpFsyncSeconds = seconds(() => {
        execFileSync('cp', [file, copy]);
        execFileSync('sync', [copy]);
      });
      rmSync(copy);
      execFileSync('sync');

      const t0 = performance.now();
      await streamingUpload(`http://127.0.0.1:${port}`, sha256);
      const uploadSeconds = (performance.now() - t0) / 1000;
      dropStoredBlob(dataDir, sha256);

      const t1 = performance.now();
      const bareDigest = await bare.upload();
      const bareNodeSeconds = (performance.now() - t1) / 1000;
      if (bareDigest !== sha256) throw new Error('the bare server hashed other bytes');
      rmSync(path.join(dir, 'bare.bin'), { force: true });
      execFileSync('sync');

      // Back to back with the bare upload. The hash is the client's own (no sha256 given).
      const rss = sampleRss(server.pid);
      const cpu = cpuMeter(server.pid);
      const t2 = performance.now();
      const result = await client.upload(await fileSource(file, { name: 'bench.bin', type: 'application/octet-stream' }));
      const bridgeClientSeconds = (performance.now() - t2) / 1000;
      const deferredCpu = cpu.stop();
      const serverRssGrowthMiB = rss.stop() / 1024 / 1024;
      if (result.sha256 !== sha256 || result.size !== SIZE) throw new Error('upload result does not match the file');
      dropStoredBlob(dataDir, sha256);

      // The same client as it was before the SHA-256 could follow the bytes: a source that
      // does not name itself is hashed first (one pass), then sent (streamed, one request).
      const { identity: _identity, ...hashFirst } = await fileSource(file, { name: 'bench.bin', type: 'application/octet-stream' });
      const firstCpu = cpuMeter(server.pid);
      const t3 = performance.now();
      const first = await client.upload(hashFirst);
      const hashFirstSeconds = (performance.now() - t3) / 1000;
      const hashFirstCpu = firstCpu.stop();
      if (first.sha256 !== sha256) throw new Error('hash-first upload result does not match the file');
      dropStoredBlob(dataDir, sha256);
      rounds.push({
        uploadSeconds,
        cpSeconds,
        cpFsyncSeconds,
        bareNodeSeconds,
        bridgeClientSeconds,
        serverRssGrowthMiB,
        hashFirstSeconds,
        cpu: { client: deferredCpu.client, server: deferredCpu.server, hashFirstClient: hashFirstCpu.client, hashFirstServer: hashFirstCpu.server },
      });
    }
    step('cold page cache round (root only)');
    if (dropPageCache()) {
      const copy = path.join(dir, 'copy.bin');
      const cpSeconds = seconds(() => execFileSync('cp', [file, copy]));
      rmSync(copy);
      execFileSync('sync');
      dropPageCache();
      const t0 = performance.now();
      await streamingUpload(`http://127.0.0.1:${port}`, sha256);
      cold = { cpSeconds, uploadSeconds: (performance.now() - t0) / 1000 };
      dropStoredBlob(dataDir, sha256);
    }
  } finally {
    await bare.close();
    await server.stop();
  }

  const mib = SIZE / 1024 / 1024;
  const upload = median(rounds.map((r) => r.uploadSeconds));
  const cp = median(rounds.map((r) => r.cpSeconds));
  const cpFsync = median(rounds.map((r) => r.cpFsyncSeconds));
  console.log(
    JSON.stringify(
      {
        bench: 'upload-throughput',
        bytes: SIZE,
        chunkBytes: CHUNK_BYTES ?? 'BridgeClient default (one request for a file from disk)',
        rounds: rounds.map((r) => ({
          uploadSeconds: round(r.uploadSeconds),
          cpSeconds: round(r.cpSeconds),
          cpFsyncSeconds: round(r.cpFsyncSeconds),
          ratioToCp: round(r.cpSeconds / r.uploadSeconds),
          bareNodeSeconds: round(r.bareNodeSeconds),
          bareNodeRatioToCp: round(r.cpSeconds / r.bareNodeSeconds),
          bridgeClientSeconds: round(r.bridgeClientSeconds),
          bridgeClientToBareNode: round(r.bareNodeSeconds / r.bridgeClientSeconds),
          bridgeClientToCpFsync: round(r.cpFsyncSeconds / r.bridgeClientSeconds),
          serverRssGrowthMiB: round(r.serverRssGrowthMiB),
          bridgeClientHashFirstSeconds: round(r.hashFirstSeconds),
          bridgeClientHashFirstToBareNode: round(r.bareNodeSeconds / r.hashFirstSeconds),
          cpuSeconds: Object.fromEntries(Object.entries(r.cpu).map(([k, v]) => [k, round(v)])),
        })),
        median: {
          uploadSeconds: round(upload),
          uploadMiBps: round(mib / upload),
          cpSeconds: round(cp),
          cpMiBps: round(mib / cp),
          cpFsyncSeconds: round(cpFsync),
          ratioToCp: round(median(rounds.map((r) => r.cpSeconds / r.uploadSeconds))),
          ratioToCpFsync: round(median(rounds.map((r) => r.cpFsyncSeconds / r.uploadSeconds))),
          bareNodeSeconds: round(median(rounds.map((r) => r.bareNodeSeconds))),
          bareNodeRatioToCp: round(median(rounds.map((r) => r.cpSeconds / r.bareNodeSeconds))),
          uploadToBareNode: round(median(rounds.map((r) => r.bareNodeSeconds / r.uploadSeconds))),
        },
        coldPageCache: cold && {
          cpSeconds: round(cold.cpSeconds),
          uploadSeconds: round(cold.uploadSeconds),
          ratioToCp: round(cold.cpSeconds / cold.uploadSeconds),
        },
        bridgeClient: {
          uploadSeconds: round(median(rounds.map((r) => r.bridgeClientSeconds))),
          uploadMiBps: round(mib / median(rounds.map((r) => r.bridgeClientSeconds))),
          toBareNode: round(median(rounds.map((r) => r.bareNodeSeconds / r.bridgeClientSeconds))),
          toBareNodeRange: [Math.min, Math.max].map((f) => round(f(...rounds.map((r) => r.bareNodeSeconds / r.bridgeClientSeconds)))),
          toCpFsync: round(median(rounds.map((r) => r.cpFsyncSeconds / r.bridgeClientSeconds))),
          serverRssGrowthMiBMax: round(Math.max(...rounds.map((r) => r.serverRssGrowthMiB))),
          hashFirstToBareNode: round(median(rounds.map((r) => r.bareNodeSeconds / r.hashFirstSeconds))),
        },
        loadAverage: os.loadavg().map(round),
        target: 'BridgeClient (hash included) >= 0.9x bare Node verified upload and >= 0.5x cp + sync; server RSS + < 64 MiB',
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A minimal tus client: create, then one PATCH streaming the file from disk. It measures
 * the endpoint itself; the project's client is measured separately below.
 */
async function streamingUpload(base: string, digest: string): Promise<void> {
  const created = await fetch(`${base}${UPLOAD_PATH}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(SIZE),
      'Upload-Metadata': `sha256 ${Buffer.from(digest).toString('base64')},filename ${Buffer.from('bench.bin').toString('base64')}`,
    },
  });
  if (created.status !== 201) throw new Error(`create: HTTP ${created.status} ${await created.text()}`);
  const res = await sendFile(new URL(created.headers.get('location')!, base), 'PATCH', {
    Authorization: `Bearer ${token}`,
    'Tus-Resumable': '1.0.0',
    'Upload-Offset': '0',
    'Content-Type': 'application/offset+octet-stream',
  });
  res.resume();
  if (res.statusCode !== 204) throw new Error(`PATCH: HTTP ${res.statusCode}`);
}

/** Streams the source file as one request body (1 MiB reads) and returns the response. */
async function sendFile(url: URL, method: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
  const request = http.request(url, { method, headers: { ...headers, 'Content-Length': String(SIZE) } });
  const response = once(request, 'response') as Promise<[http.IncomingMessage]>;
  await pipeline(createReadStream(file, { highWaterMark: 1024 * 1024 }), request);
  const [res] = await response;
  return res;
}

/** Removes the stored blob so the next upload stores it again instead of finding it already there. */
function dropStoredBlob(dataDir: string, digest: string): void {
  rmSync(path.join(dataDir, 'blobs', digest.slice(0, 2), digest.slice(2, 4), digest), { force: true });
  execFileSync('sync');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Empties the kernel's page cache (root only): false when not allowed. */
function dropPageCache(): boolean {
  try {
    execFileSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return true;
  } catch {
    return false;
  }
}

/** Starts core/bare-verified-upload-server.ts in its own process, as the real server runs in its own. */
async function startBareVerifiedUploadServer(target: string): Promise<{ upload: () => Promise<string>; close: () => Promise<void> }> {
  const child = await timeUntil(
    process.execPath,
    ['--import', 'tsx', path.join(REPO, 'bench', 'core', 'bare-verified-upload-server.ts')],
    { TARGET: target },
    /listening on \d+/,
  );
  const port = Number(/listening on (\d+)/.exec(child.output())![1]);
  return {
    close: child.stop,
    async upload() {
      const res = await sendFile(new URL(`http://127.0.0.1:${port}/`), 'PUT', {});
      let body = '';
      for await (const part of res) body += part;
      return body;
    },
  };
}

/** CPU seconds (user + system) of this process and of `pid` from now until stop(). */
function cpuMeter(pid: number): { stop: () => { client: number; server: number } } {
  // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
  const ticks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const own = process.cpuUsage();
  const server = ticks();
  return {
    stop() {
      const used = process.cpuUsage(own);
      return { client: (used.user + used.system) / 1e6, server: ticks() - server };
    },
  };
}

/** Samples a process's resident memory every 50 ms; stop() gives the peak growth over the first sample, in bytes. */
function sampleRss(pid: number): { stop: () => number } {
  const read = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
  const start = read();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, read())), 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, read()) - start;
    },
  };
}
