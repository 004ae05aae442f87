// Check-in round trip of a 1 MB file over loopback, p50/p99 over N check-ins, on the
// embedded defaults (embedded PostgreSQL, disk blobs). Three baselines, measured in the same
// loop right after each check-in so that a busy machine slows them alike: the same bytes
// POSTed to a bare Node HTTP server that writes them, a bare WebSocket request/response round
// trip (the floors of the byte path and of the call), and a bare transaction of as many
// statements as a check-in sends (BEGIN, five SELECTs, COMMIT on a pooled connection of the
// same database: the floor of its database round trips, without the ORM).
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { BridgeClient, type WebSocketConstructor } from '@stockroom/bridge-client';
import { bufferSource } from '@stockroom/bridge-client/node';
import { loadConfig, startStockroom, createLogger } from '@stockroom/bridge-server';
import { summarize } from './lib.ts';

const N = Number(process.env.CHECKINS ?? 500);
const SIZE = 1024 * 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-bench-checkin-'));
chmodSync(dir, 0o755);
const token = 'sr_bench_admin_token_0123456789abcdefghijklmnopqrstuv';
const config = loadConfig({ STOCKROOM_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', STOCKROOM_ADMIN_TOKEN: token });
const stockroom = await startStockroom(config, { logger: createLogger('warn') });
const client = new BridgeClient({
  serverUrl: stockroom.http!.url,
  token,
  client: { app: 'script', appVersion: 'bench', pluginVersion: 'bench' },
  WebSocket: WebSocket as unknown as WebSocketConstructor,
  upload: { chunkSize: 8 * 1024 * 1024 },
});
await client.connect();

const files = Array.from({ length: N + 1 }, () => randomBytes(SIZE));
const first = await client.upload(bufferSource(files[0]!, { name: 'bench.bin', type: 'application/octet-stream' }));
const asset = await client.call('assets.create', { uploadId: first.uploadId });
await client.call('assets.checkout', { id: asset.id });

// The bare servers run beside Stockroom for the whole loop.
const sink = createServer((req, res) => {
  const out = createWriteStream(path.join(dir, 'baseline.bin'));
  req.pipe(out);
  out.on('finish', () => {
    out.close(() => res.end('ok'));
  });
});
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', () => r()));
const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise((r) => wss.once('listening', r));
wss.on('connection', (s) => s.on('message', (m) => s.send(m)));
const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
await new Promise((r) => ws.once('open', r));
const sql = stockroom.database.sql;

const callOnly: number[] = [];
const whole: number[] = [];
const bareHttp: number[] = [];
const bareWs: number[] = [];
const bareTx: number[] = [];
for (let i = 1; i <= N; i += 1) {
  const t0 = performance.now();
  const up = await client.upload(bufferSource(files[i]!, { name: 'bench.bin', type: 'application/octet-stream' }));
  const t1 = performance.now();
  await client.checkIn({ id: asset.id, uploadId: up.uploadId, keepLocked: true, underLock: true });
  const t2 = performance.now();
  callOnly.push(t2 - t1);
  whole.push(t2 - t0);

  const h0 = performance.now();
  await (await fetch(sinkUrl, { method: 'POST', body: files[i] })).text();
  bareHttp.push(performance.now() - h0);

  const w0 = performance.now();
  ws.send(JSON.stringify({ id: i, method: 'assets.checkin', params: { id: asset.id } }));
  await new Promise((r) => ws.once('message', r));
  bareWs.push(performance.now() - w0);

  const d0 = performance.now();
  const conn = await sql.connect();
  try {
    await conn.query('BEGIN');
    for (let q = 0; q < 5; q += 1) await conn.query('SELECT $1::int AS n', [q]);
    await conn.query('COMMIT');
  } finally {
    conn.release();
  }
  bareTx.push(performance.now() - d0);
}
client.close();
ws.close();
wss.close();
sink.close();
await stockroom.stop();
rmSync(dir, { recursive: true, force: true });

const r = {
  callOnly: summarize(callOnly),
  uploadPlusCheckin: summarize(whole),
  bareHttpPost1MB: summarize(bareHttp),
  bareWsRoundTrip: summarize(bareWs),
  bareDbTransaction7Statements: summarize(bareTx),
};
console.log(
  JSON.stringify(
    {
      bench: 'checkin-roundtrip-1MB',
      checkins: N,
      ...r,
      ratioUploadPlusCheckinToBareHttpP50: r.uploadPlusCheckin.p50 / r.bareHttpPost1MB.p50,
      target: 'checkin call p99 < 25 ms',
      loadAverage: os.loadavg(),
    },
    null,
    2,
  ),
);
process.exit(0);
