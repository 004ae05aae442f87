// Scale-out as an operator runs it: two api processes and one worker process (real
// OS processes of the `stockroom` program) on one Postgres server, blobs in S3 on a
// real Ceph gateway, partial uploads in one shared folder, and a load balancer that
// does not stick in front of the api processes.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import sharp from 'sharp';
import * as tus from 'tus-js-client';
import { UPLOAD_PATH, uploadIdFromUrl } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_BUS_APPLICATION_NAME } from '../../src/adapters/event-bus.ts';
import { connectionBudget } from '../../src/adapters/connection-budget.ts';
import { createS3BlobStore, type S3BlobStore } from '../../src/adapters/blob-store/s3.ts';
import { loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.ts';
import { ADMIN_TOKEN, makeTempDir, startServerProcess, type ServerProcess } from '../support/server.ts';
import { testS3Settings } from '../support/test-s3.ts';
import { tusMetadata } from '../support/upload-harness.ts';

const PART = 5 * 1024 * 1024;
let database: TestDatabase;
let api: ServerProcess[] = [];
let worker: ServerProcess;
let proxy: RoundRobinProxy;
let s3: S3BlobStore;
let admin: pg.Client;
let env: Record<string, string>;
const dirs: string[] = [];

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const tusHeaders = { 'Tus-Resumable': '1.0.0', ...auth };
const wsOf = (process: ServerProcess) => process.url.replace(/^http/, 'ws') + '/ws';

beforeAll(async () => {
  database = await createTestDatabase();
  const settings = await testS3Settings({ bucketPrefix: 'cluster' });
  const uploads = makeTempDir('cluster-uploads');
  dirs.push(uploads);
  env = {
    DATABASE_URL: database.url,
    UPLOAD_DIR: uploads,
    S3_ENDPOINT: settings.endpoint,
    S3_BUCKET: settings.bucket,
    S3_ACCESS_KEY: settings.accessKey,
    S3_SECRET_KEY: settings.secretKey,
    S3_REGION: settings.region,
    // Small parts, so an original larger than one part goes up multipart.
    S3_PART_SIZE: String(PART),
    S3_MULTIPART_ABOVE: String(PART),
    STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
    WORKER_CONCURRENCY: '1',
    WORKER_HTTP_PORT: '0',
    PORT: '0',
  };
  const own = (role: string) => {
    const dir = makeTempDir(`cluster-${role}`);
    dirs.push(dir);
    return { ...env, STOCKROOM_DATA_DIR: dir };
  };
  // The first start creates the schema and the bucket; the others find them.
  api.push(await startServerProcess(own('api-1'), ['--role', 'api']));
  [api[1], worker] = await Promise.all([startServerProcess(own('api-2'), ['--role', 'api']), startServerProcess(own('worker'), ['--role', 'worker'])]);
  proxy = await startRoundRobinProxy(api.map((p) => p.url));
  s3 = createS3BlobStore(settings);
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
}, 180_000);

afterAll(async () => {
  await admin?.end();
  await proxy?.close();
  await Promise.all([...api, worker].filter(Boolean).map((p) => p.kill()));
  await database?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tusUpload(data: Buffer, options: Partial<tus.UploadOptions>): Promise<{ url: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const upload = new tus.Upload(data, {
      endpoint: `${proxy.url}${UPLOAD_PATH}`,
      headers: auth,
      metadata: { sha256: sha256(data), filename: 'plate.png', filetype: 'image/png' },
      retryDelays: [],
      onChunkComplete: (chunk) => void (sent += chunk),
      onSuccess: () => resolve({ url: upload.url!, sent }),
      onError: reject,
      ...options,
    });
    upload.start();
  });
}

async function createUpload(target: string, data: Buffer, filename = 'take.mov'): Promise<string> {
  const response = await fetch(`${target}${UPLOAD_PATH}`, {
    method: 'POST',
    headers: { ...tusHeaders, 'Upload-Length': String(data.length), 'Upload-Metadata': tusMetadata({ sha256: sha256(data), filename }) },
  });
  expect(response.status).toBe(201);
  return uploadIdFromUrl(response.headers.get('location')!);
}

/** A small asset of opaque bytes (no derivatives, so only the test changes it), made through the balancer. */
async function smallAsset(socket: RawSocket, name: string): Promise<{ id: string }> {
  const data = randomBytes(4096);
  const id = await createUpload(proxy.url, data, 'data.bin');
  const done = await fetch(`${proxy.url}${UPLOAD_PATH}/${id}`, {
    method: 'PATCH',
    headers: { ...tusHeaders, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
    body: data,
  });
  expect(done.status).toBe(204);
  return socket.call('assets.create', { uploadId: id, name });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(250);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe('2 api processes + 1 worker on one Postgres, S3 on Ceph, behind a round-robin balancer', () => {
  it('uploads in chunks that alternate between processes, makes derivatives from S3 and downloads through the balancer', async () => {
    // A noisy PNG larger than one S3 part: stored multipart.
    const pixels = randomBytes(1600 * 1200 * 3);
    const png = await sharp(pixels, { raw: { width: 1600, height: 1200, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(png.length).toBeGreaterThan(PART);
    const before = [...proxy.counts];
    const { url } = await tusUpload(png, { chunkSize: 1024 * 1024 });
    // Every PATCH went to the other process than the one before: both took part.
    expect(proxy.counts.every((count, i) => count - before[i]! >= 3)).toBe(true);
    expect(await s3.stat(sha256(png))).toEqual({ size: png.length });

    const socket = await RawSocket.signedIn(wsOf(api[0]!), ADMIN_TOKEN, 'script');
    const asset = await socket.call('assets.create', { uploadId: uploadIdFromUrl(url), name: 'Plate' });
    const thumbnail = await until('the worker to make a thumbnail', async () => {
      const { derivatives } = await socket.call('derivatives.list', { assetId: asset.id });
      return derivatives.find((d: { preset: string; status: string }) => d.preset === 'thumbnail' && d.status === 'ready');
    });
    const thumb = await fetch(`${proxy.url}${thumbnail.contentUrl}`, { headers: auth });
    expect(thumb.status).toBe(200);
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1600);
    const range = await fetch(`${proxy.url}/api/assets/${asset.id}/versions/1/content`, { headers: { ...auth, Range: `bytes=${PART - 8}-${PART + 7}` } });
    expect(range.status).toBe(206);
    expect(Buffer.from(await range.arrayBuffer())).toEqual(png.subarray(PART - 8, PART + 8));
    const whole = await fetch(`${proxy.url}/api/assets/${asset.id}/versions/1/content`, { headers: auth });
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(png));

    // A 0-byte file sent in its creating POST ends in the documented empty-file state.
    const empty = await tusUpload(Buffer.alloc(0), { uploadDataDuringCreation: true });
    const emptyAsset = await socket.call('assets.create', { uploadId: uploadIdFromUrl(empty.url), name: 'Empty' });
    const failed = await until('the empty file to fail its derivatives', async () => {
      const { jobs } = await socket.call('jobs.list', { assetId: emptyAsset.id });
      return jobs.find((j: { status: string }) => j.status === 'failed');
    });
    expect(failed.failureReason).toBe('empty-file');
    socket.close();
  });

  it('resumes on the other process at the offset the server holds', async () => {
    const data = randomBytes(3 * 1024 * 1024);
    const id = await createUpload(api[0]!.url, data);
    const half = 1024 * 1024 + 7;
    const first = await fetch(`${api[0]!.url}${UPLOAD_PATH}/${id}`, {
      method: 'PATCH',
      headers: { ...tusHeaders, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: data.subarray(0, half),
    });
    expect(first.status).toBe(204);
    const resumed = await new Promise<number>((resolve, reject) => {
      let sent = 0;
      const upload = new tus.Upload(data, {
        uploadUrl: `${api[1]!.url}${UPLOAD_PATH}/${id}`,
        headers: auth,
        retryDelays: [],
        onChunkComplete: (chunk) => void (sent += chunk),
        onSuccess: () => resolve(sent),
        onError: reject,
      });
      upload.start();
    });
    expect(resumed).toBe(data.length - half);
    expect(sha256(await readAll(await s3.createReadStream(sha256(data))))).toBe(sha256(data));
  });

  it('a stalled PATCH on one process cannot change the blob stored after the upload finished on the other', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const id = await createUpload(api[0]!.url, data);
    const early = 512 * 1024;
    const stalled = http.request(`${api[0]!.url}${UPLOAD_PATH}/${id}`, {
      method: 'PATCH',
      headers: { ...tusHeaders, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(data.length) },
    });
    const stalledDone = new Promise<void>((resolve) => {
      stalled.on('response', (res) => res.resume().on('end', resolve).on('error', resolve));
      stalled.on('error', () => resolve());
      stalled.on('close', () => resolve());
    });
    stalled.write(data.subarray(0, early));
    const offset = await until(
      'the first bytes to arrive',
      async () => {
        // The HEAD on the other process asks the stalled holder to let go (it drains, then stops).
        const head = await fetch(`${api[1]!.url}${UPLOAD_PATH}/${id}`, { method: 'HEAD', headers: tusHeaders });
        const value = Number(head.headers.get('upload-offset'));
        return head.status === 200 && value > 0 ? value : undefined;
      },
      30_000,
    );
    expect(offset).toBeLessThanOrEqual(early);
    const rest = await fetch(`${api[1]!.url}${UPLOAD_PATH}/${id}`, {
      method: 'PATCH',
      headers: { ...tusHeaders, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: data.subarray(offset),
    });
    expect(rest.status).toBe(204);
    stalled.end(Buffer.alloc(data.length - early, 0x5a));
    await stalledDone;
    expect(sha256(await readAll(await s3.createReadStream(sha256(data))))).toBe(sha256(data));
  });

  it('50 PATCHes at one offset through the balancer: exactly one is taken', async () => {
    const data = randomBytes(128 * 1024);
    const id = await createUpload(proxy.url, data);
    const patchAt = (offset: number) =>
      fetch(`${proxy.url}${UPLOAD_PATH}/${id}`, {
        method: 'PATCH',
        headers: { ...tusHeaders, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
        body: data.subarray(offset),
      });
    const responses = await Promise.all(Array.from({ length: 50 }, () => patchAt(0)));
    const answered = responses.filter((r) => r.status === 204);
    // Each request that finds the lock taken asks its holder to let go (as tusd's lockers do), so a
    // holder can be asked before it wrote a byte: it answers 204 at offset 0 and the next one at
    // offset 0 may take over. Exactly one request takes bytes; every other one is refused.
    const winners = answered.filter((r) => Number(r.headers.get('upload-offset')) > 0);
    expect(winners).toHaveLength(1);
    expect(answered.filter((r) => Number(r.headers.get('upload-offset')) === 0)).toHaveLength(answered.length - 1);
    expect(responses.filter((r) => r.status !== 204).every((r) => r.status === 409 || r.status === 423)).toBe(true);
    // A winner asked to let go part way (a loaded machine) acknowledged what it kept; resume from there.
    const offset = Number(winners[0]!.headers.get('upload-offset'));
    if (offset < data.length) expect((await patchAt(offset)).status).toBe(204);
    expect(sha256(await readAll(await s3.createReadStream(sha256(data))))).toBe(sha256(data));
  });

  it('loses no event when the LISTEN connections are killed from the database side', async () => {
    const actor = await RawSocket.signedIn(wsOf(api[0]!), ADMIN_TOKEN, 'script');
    const asset = await smallAsset(actor, 'Watched');
    const watchers = await Promise.all(api.map((p) => RawSocket.signedIn(wsOf(p), ADMIN_TOKEN, 'figma')));
    for (const w of watchers) await w.call('events.subscribe', { events: ['asset.updated'] });
    const { rows } = await admin.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [EVENT_BUS_APPLICATION_NAME],
    );
    expect(rows).toHaveLength(2);
    // Committed while neither api process listens (each reconnects after a second).
    const tags = Array.from({ length: 5 }, (_, i) => `take-${i}`);
    for (const tag of tags) await actor.call('assets.update', { id: asset.id, tags: [tag] });
    for (const w of watchers) {
      await w.event('asset.updated', (d) => d.asset?.id === asset.id && d.asset.tags?.[0] === tags[4]);
      const seen = w.frames.filter((f) => f.event === 'asset.updated' && f.data.asset.id === asset.id).map((f) => f.data.asset.tags[0]);
      expect(seen).toEqual(tags);
      w.close();
    }
    actor.close();
  });

  it('200 concurrent requests through the balancer stay within the documented connection budget', async () => {
    const socket = await RawSocket.signedIn(wsOf(api[0]!), ADMIN_TOKEN, 'script');
    const asset = await smallAsset(socket, 'Burst');
    socket.close();
    const config = loadConfig({ ...env, STOCKROOM_DATA_DIR: dirs[0]! });
    const budget = 2 * connectionBudget('api', config) + connectionBudget('worker', config);
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await admin.query<{ n: string }>(
          'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        peak = Math.max(peak, Number(rows[0]!.n));
        await delay(10);
      }
    })();
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${proxy.url}/api/assets/${asset.id}`, { headers: auth }).then((r) => (i % 2 ? r.status : r.arrayBuffer().then(() => r.status))),
      ),
    );
    sampling = false;
    await sampler;
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(budget);
  });

  it('runs each maintenance task once per period for the whole cluster, not once per process', async () => {
    // Every process sent the current period's job of each task it can do when it started.
    type Row = { name: string; slots: number; jobs: number; done: number };
    const rows = await until('every maintenance task to have run', async () => {
      const { rows } = await admin.query<Row>(
        `SELECT name, count(DISTINCT singleton_on)::int AS slots, count(*)::int AS jobs, (count(*) FILTER (WHERE state = 'completed'))::int AS done
           FROM pgboss.job WHERE name LIKE 'housekeeping-%' GROUP BY name ORDER BY name`,
      );
      return rows.length === 5 && rows.every((r) => r.done > 0) ? rows : undefined;
    });
    expect(rows.map((r) => r.name)).toEqual([
      'housekeeping-auth-prune',
      'housekeeping-outbox-prune',
      'housekeeping-stale-client-sessions',
      'housekeeping-trash-purge',
      'housekeeping-upload-cleanup',
    ]);
    for (const row of rows) expect(row.jobs, row.name).toBe(row.slots);
  });

  it('the worker serves its own health and metrics', async () => {
    const health = await fetch(`${worker.url}/healthz`);
    expect(await health.json()).toMatchObject({ status: 'ok', role: 'worker' });
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    // Guarded like the api's: without a token, refused; with an administrator's, the metrics.
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(401);
    const metrics = await (await fetch(`${worker.url}/metrics`, { headers: auth })).text();
    expect(metrics).toContain('process_cpu_seconds_total');
    // Search lag is the worker's to report (it runs the indexer); queue depth every process can.
    expect(metrics).toContain('stockroom_search_index_lag_seconds');
    expect(metrics).toMatch(/stockroom_queue_jobs\{queue="[^"]+",state="queued"\} \d+/);
    // An api process times its requests by route pattern and counts its WebSockets.
    const apiMetrics = await (await fetch(`${api[0]!.url}/metrics`, { headers: auth })).text();
    expect(apiMetrics).toMatch(/stockroom_http_request_duration_seconds_count\{method="GET",route="\/api\/assets\/:id",status="200"\} \d+/);
    expect(apiMetrics).toMatch(/stockroom_websocket_connections \d+/);
  });
});
