import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StockroomError, type EventData } from '@stockroom/shared-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../bridge-server/test/support/server.ts';
import type { BridgeClient } from '../../src/index.ts';
import { fileSource, fileUrlStorage } from '../../src/node.ts';
import { makeClient, nextMatching } from './support.ts';

const MiB = 1024 * 1024;
let server: TestServer;
let dir: string;
const clients: BridgeClient[] = [];
const track = (client: BridgeClient) => (clients.push(client), client);

beforeAll(async () => {
  server = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'bridge-client-upload-'));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await server?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function writeRandomFile(name: string, size: number): { file: string; sha256: string } {
  const bytes = randomBytes(size);
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('resumable uploads against the real bridge', () => {
  it('uploads a file with progress to the total; the version holds exactly those bytes', async () => {
    const size = 5 * MiB + 123;
    const { file, sha256 } = writeRandomFile('five.bin', size);
    const client = track(makeClient(server.url, server.adminToken, { upload: { chunkSize: MiB } }));
    const progress: number[] = [];
    const hashed: number[] = [];
    const result = await client.upload(await fileSource(file), {
      mimeType: 'application/octet-stream',
      onProgress: (sent, total) => {
        expect(total).toBe(size);
        progress.push(sent);
      },
      onHashProgress: (bytes) => hashed.push(bytes),
    });
    expect(result).toMatchObject({ sha256, size, resumedFrom: 0, bytesSent: size });
    expect(hashed.at(-1)).toBe(size);
    expect(progress.at(-1)).toBe(size);
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
    // At least one report per 1 MiB chunk.
    expect(new Set(progress).size).toBeGreaterThanOrEqual(6);

    await client.connect();
    const asset = await client.call('assets.create', { uploadId: result.uploadId, name: 'Five' });
    expect(asset.head).toMatchObject({ sha256, size, originalName: 'five.bin', number: 1 });
  });

  it('an aborted upload resumes at the server offset in a new client, sending only the rest', async () => {
    const size = 6 * MiB + 7;
    const { file, sha256 } = writeRandomFile('six.bin', size);
    const storagePath = path.join(dir, 'uploads.json');

    // First "process": stop once about half is on the server.
    const first = track(makeClient(server.url, server.adminToken, { upload: { chunkSize: MiB, urlStorage: fileUrlStorage(storagePath) } }));
    const controller = new AbortController();
    const aborted = await errorOf(
      first.upload(await fileSource(file), {
        signal: controller.signal,
        onProgress: (sent) => {
          if (sent >= 3 * MiB) controller.abort(new Error('user cancelled'));
        },
      }),
    );
    expect(aborted).toBeInstanceOf(Error);
    expect((aborted as Error).message).toBe('user cancelled');
    const remembered = JSON.parse(readFileSync(storagePath, 'utf8')) as Record<string, { uploadUrl: string }>;
    const urls = Object.values(remembered).map((entry) => entry.uploadUrl);
    expect(urls).toHaveLength(1);

    // Second "process": a new client with the same storage file continues.
    const second = track(makeClient(server.url, server.adminToken, { upload: { chunkSize: MiB, urlStorage: fileUrlStorage(storagePath) } }));
    const progress: number[] = [];
    const result = await second.upload(await fileSource(file), { onProgress: (sent) => progress.push(sent) });
    expect(result.uploadUrl).toBe(urls[0]);
    expect(result.resumedFrom).toBeGreaterThanOrEqual(2 * MiB);
    expect(result.bytesSent).toBeLessThan(size);
    expect(result.resumedFrom + result.bytesSent).toBe(size);
    expect(progress[0]).toBeGreaterThanOrEqual(result.resumedFrom);
    expect(progress.at(-1)).toBe(size);
    // A finished upload is forgotten.
    expect(Object.keys(JSON.parse(readFileSync(storagePath, 'utf8')) as object)).toHaveLength(0);

    await second.connect();
    const asset = await second.call('assets.create', { uploadId: result.uploadId, name: 'Six' });
    expect(asset.head).toMatchObject({ sha256, size });
  });

  it('carries on by itself across a server restart, sending again at most one chunk', async () => {
    const size = 8 * MiB;
    const { file, sha256 } = writeRandomFile('restart.bin', size);
    const client = track(makeClient(server.url, server.adminToken, { upload: { chunkSize: MiB, retryDelays: [100, 300, 600, 1000, 2000, 4000] } }));
    let restarting: Promise<void> | undefined;
    let downAt = Number.POSITIVE_INFINITY;
    const progress: number[] = [];
    const result = await client.upload(await fileSource(file), {
      onProgress: (sent) => {
        progress.push(sent);
        if (!restarting && sent >= MiB) {
          restarting = server.stop().then(() => {
            downAt = Date.now();
            return server.start();
          });
        }
      },
    });
    const doneAt = Date.now();
    await restarting;
    // The upload was still running when the server was completely down.
    expect(doneAt).toBeGreaterThan(downAt);
    expect(result).toMatchObject({ sha256, size, bytesSent: size });
    // Progress goes back only by what the server had not stored when it stopped.
    let peak = 0;
    let lost = 0;
    for (const sent of progress) {
      lost = Math.max(lost, peak - sent);
      peak = Math.max(peak, sent);
    }
    expect(lost).toBeLessThanOrEqual(MiB);
    expect(progress.at(-1)).toBe(size);
    await client.connect();
    const asset = await client.call('assets.create', { uploadId: result.uploadId });
    expect(asset.head).toMatchObject({ sha256, size });
  });

  it('uploads a Blob (browser path: @noble/hashes, byte-range reads)', async () => {
    const bytes = randomBytes(2 * MiB + 5);
    const client = track(makeClient(server.url, server.adminToken, { upload: { chunkSize: MiB } }));
    const result = await client.upload(new File([bytes], 'logo.png', { type: 'image/png' }));
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    await client.connect();
    const asset = await client.call('assets.create', { uploadId: result.uploadId });
    expect(asset.head).toMatchObject({ size: bytes.length, mimeType: 'image/png', originalName: 'logo.png' });
  });

  it('surfaces refusals as StockroomError with the server code', async () => {
    const { file } = writeRandomFile('refused.bin', 300_000);
    const stranger = track(makeClient(server.url, 'sr_not_a_valid_token_000000000000000000000000'));
    const unauthenticated = await errorOf(stranger.upload(await fileSource(file)));
    expect(unauthenticated).toBeInstanceOf(StockroomError);
    expect((unauthenticated as StockroomError).code).toBe('UNAUTHENTICATED');

    const client = track(makeClient(server.url, server.adminToken));
    const mismatch = await errorOf(client.upload(await fileSource(file), { sha256: 'a'.repeat(64) }));
    expect(mismatch).toBeInstanceOf(StockroomError);
    expect((mismatch as StockroomError).code).toBe('CHECKSUM_MISMATCH');
  });

  it('events of the new asset reach a subscribed client', async () => {
    const watcher = track(makeClient(server.url, server.adminToken));
    await watcher.connect();
    await watcher.subscribe(['asset.created', 'asset.locked']);
    const { file } = writeRandomFile('evented.bin', 100_000);
    const editor = track(makeClient(server.url, server.adminToken, { client: { app: 'premiere' } }));
    const { uploadId } = await editor.upload(await fileSource(file));
    await editor.connect();
    const created = nextMatching<EventData<'asset.created'>>(
      (push) => watcher.on('asset.created', push),
      (d) => d.asset.name.length > 0,
    );
    const asset = await editor.call('assets.create', { uploadId, name: 'Evented' });
    expect((await created).asset.id).toBe(asset.id);
    const locked = nextMatching<EventData<'asset.locked'>>(
      (push) => watcher.on('asset.locked', push),
      (d) => d.assetId === asset.id,
    );
    await editor.call('assets.checkout', { id: asset.id });
    expect((await locked).lock.clientApp).toBe('premiere');
  });
});
