/**
 * panels/core's download into a host's cache (the Photoshop panel's cache and the
 * Premiere panel's media folder share it): streamed to disk in pieces, resumed with a
 * Range request after the connection drops (also after a restart of the panel), checked
 * against the SHA-256, and in ranged pieces where the host's fetch has no streaming body.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadToCache } from '../core/src/bridge/download-to-cache.ts';
import { PhotoshopHost } from '@stockroom/panel-photoshop/host';
import { CallLog, FakeFileSystem, FakePhotoshop, fakeSecureStorage, fakeUxpModule } from '@stockroom/panel-photoshop/fake';

const ASSET = '3f2b8c1e-9d4a-4c7b-8e21-5a6f0b9c7d10';
const SIZE = 3 * 1024 * 1024 + 123;
const PIECE = 256 * 1024;
const body = randomBytes(SIZE);
const sha256 = createHash('sha256').update(body).digest('hex');

let server: http.Server;
let url: string;
/** Requests seen: their Range header ('' for none). */
const ranges: string[] = [];
/** When set, the next response is cut off after this many bytes. */
let dropAfter: number | null = null;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const range = req.headers.range ?? '';
    ranges.push(range);
    const match = /^bytes=(\d+)-(\d*)$/.exec(range);
    const start = match ? Number(match[1]) : 0;
    const end = match && match[2] ? Number(match[2]) : SIZE - 1;
    const slice = body.subarray(start, end + 1);
    res.writeHead(match ? 206 : 200, { 'Content-Length': slice.byteLength, ...(match ? { 'Content-Range': `bytes ${start}-${end}/${SIZE}` } : {}) });
    if (dropAfter !== null) {
      const cut = dropAfter;
      dropAfter = null;
      res.write(slice.subarray(0, cut), () => res.destroy());
      return;
    }
    res.end(slice);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => server.close());

function photoshopCache(options: { failWrite?: number } = {}) {
  const log = new CallLog();
  const files = new FakeFileSystem(log);
  let writes = 0;
  // A disk that refuses one write (the n-th), as a full or failing disk would.
  const fs: typeof files.fs = {
    ...files.fs,
    write: (...args) => (++writes === options.failWrite ? Promise.reject(new Error('EIO: i/o error, write')) : files.fs.write(...args)),
  };
  const host = new PhotoshopHost({ photoshop: new FakePhotoshop(log, files).module, uxp: fakeUxpModule(files, fakeSecureStorage(log)), fs });
  return { log, files, cache: host.cache };
}

const target = { assetId: ASSET, version: 2, fileName: 'hero.psd', contentUrl: '/api/assets/x/versions/2/content', size: SIZE, sha256 };
const final = `plugin-data:/cache/${ASSET}/v2/hero.psd`;
const options = { token: 't', pieceBytes: PIECE, retryDelayMs: () => 10 };

describe('downloads into the cache', () => {
  it('stream to disk piece by piece (never the whole file in one write) and appear under the final name only when complete', async () => {
    const { log, files, cache } = photoshopCache();
    ranges.length = 0;
    const progress: number[] = [];
    const path = await downloadToCache(cache, target, { ...options, serverUrl: url, onProgress: (received) => progress.push(received) });
    expect(path).toBe(final);
    expect(Buffer.from(files.files.get(final)!).equals(body)).toBe(true);
    const writes = log.named('fs.write');
    expect(writes.length).toBe(Math.ceil(SIZE / PIECE));
    expect(Math.max(...writes.map((w) => w.args[1] as number))).toBeLessThanOrEqual(PIECE);
    expect(log.named('fs.writeFile')).toHaveLength(0);
    expect(log.named('fs.rename').map((c) => c.args)).toEqual([[`${final}.part`, final]]);
    expect(ranges).toEqual(['']);
    expect(progress.at(-1)).toBe(SIZE);
    // A second request for the same version is served from the cache.
    await downloadToCache(cache, target, { ...options, serverUrl: url });
    expect(ranges).toEqual(['']);
  });

  it('resume with a Range request where the dropped connection left off, losing no byte', async () => {
    const { files, cache } = photoshopCache();
    ranges.length = 0;
    dropAfter = PIECE * 3 + 1000;
    await downloadToCache(cache, target, { ...options, serverUrl: url });
    expect(ranges).toEqual(['', `bytes=${PIECE * 3 + 1000}-`]);
    expect(Buffer.from(files.files.get(final)!).equals(body)).toBe(true);
  });

  it('resume a partial file left by an earlier run of the panel, hashing what is there', async () => {
    const { files, cache } = photoshopCache();
    const writer = await cache.open!(ASSET, 2, 'hero.psd');
    await writer.append(new Uint8Array(body.subarray(0, 1_000_000)));
    await writer.close();
    ranges.length = 0;
    await downloadToCache(cache, target, { ...options, serverUrl: url });
    expect(ranges).toEqual(['bytes=1000000-']);
    expect(Buffer.from(files.files.get(final)!).equals(body)).toBe(true);
  });

  it('refuse damaged bytes: CHECKSUM_MISMATCH, and no file under the final name', async () => {
    const { files, cache } = photoshopCache();
    await expect(downloadToCache(cache, { ...target, sha256: '0'.repeat(64) }, { ...options, serverUrl: url })).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      message: 'The download of hero.psd arrived damaged (its checksum differs). Try again.',
    });
    expect(files.files.has(final)).toBe(false);
    expect(files.files.has(`${final}.part`)).toBe(false);
  });

  it('without a streaming body (UXP’s fetch on some hosts) ask for one Range per piece', async () => {
    const { files, cache } = photoshopCache();
    ranges.length = 0;
    const noStreams = (async (input: string, init?: RequestInit) => {
      const response = await fetch(input, init);
      return {
        ok: response.ok,
        status: response.status,
        headers: response.headers,
        body: null,
        arrayBuffer: () => response.arrayBuffer(),
      } as unknown as Response;
    }) as typeof fetch;
    await downloadToCache(cache, target, { ...options, serverUrl: url, fetch: noStreams });
    expect(ranges.slice(1)).toEqual(Array.from({ length: Math.ceil(SIZE / PIECE) }, (_, i) => `bytes=${i * PIECE}-${Math.min((i + 1) * PIECE, SIZE) - 1}`));
    expect(Buffer.from(files.files.get(final)!).equals(body)).toBe(true);
  });

  it('a missing file is a clear error, not a retry loop', async () => {
    const { cache } = photoshopCache();
    const missing = http.createServer((_req, res) => res.writeHead(404).end());
    missing.listen(0, '127.0.0.1');
    await once(missing, 'listening');
    try {
      await expect(
        downloadToCache(cache, target, { ...options, serverUrl: `http://127.0.0.1:${(missing.address() as { port: number }).port}` }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'Downloading hero.psd failed with HTTP 404.',
      });
    } finally {
      missing.close();
    }
  });

  // The SHA-256 runs in WebAssembly where the host has it, in JavaScript where it has not;
  // both must check the same bytes the same way, whatever the pieces and the drops.
  for (const engine of ['wasm', 'js'] as const) {
    it(`${engine} SHA-256: the same digest across piece boundaries, after a drop mid-piece and after a resumed partial file`, async () => {
      const odd = 100_003; // no piece ends on a SHA-256 block boundary
      const first = photoshopCache();
      ranges.length = 0;
      dropAfter = odd * 4 + 17;
      await downloadToCache(first.cache, target, { ...options, pieceBytes: odd, serverUrl: url, sha256Engine: engine });
      expect(ranges).toEqual(['', `bytes=${odd * 4 + 17}-`]);
      expect(Buffer.from(first.files.files.get(final)!).equals(body)).toBe(true);

      const second = photoshopCache();
      const writer = await second.cache.open!(ASSET, 2, 'hero.psd');
      await writer.append(new Uint8Array(body.subarray(0, 777_777)));
      await writer.close();
      ranges.length = 0;
      await downloadToCache(second.cache, target, { ...options, pieceBytes: odd, serverUrl: url, sha256Engine: engine });
      expect(ranges).toEqual(['bytes=777777-']);
      expect(Buffer.from(second.files.files.get(final)!).equals(body)).toBe(true);

      // A changed byte inside the resumed part is caught by either engine.
      const third = photoshopCache();
      const damaged = await third.cache.open!(ASSET, 2, 'hero.psd');
      const bad = new Uint8Array(body.subarray(0, 777_777));
      bad[500_000]! ^= 1;
      await damaged.append(bad);
      await damaged.close();
      await expect(downloadToCache(third.cache, target, { ...options, pieceBytes: odd, serverUrl: url, sha256Engine: engine })).rejects.toMatchObject({
        code: 'CHECKSUM_MISMATCH',
      });
      expect(third.files.files.has(final)).toBe(false);
    });

    it(`${engine} SHA-256: a write the disk refuses is retried, and the hash stays in step with the file`, async () => {
      const { log, files, cache } = photoshopCache({ failWrite: 3 });
      ranges.length = 0;
      const progress: number[] = [];
      await downloadToCache(cache, target, { ...options, serverUrl: url, sha256Engine: engine, onProgress: (received) => progress.push(received) });
      expect(Buffer.from(files.files.get(final)!).equals(body)).toBe(true);
      // Two pieces reached the disk before the refused third: the retry asks from there.
      expect(ranges).toEqual(['', `bytes=${PIECE * 2}-`]);
      expect(log.named('fs.write').map((w) => w.args[2])).toEqual(Array.from({ length: Math.ceil(SIZE / PIECE) }, (_, i) => i * PIECE));
      // Progress counts bytes on disk only, and never goes back.
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(progress.at(-1)).toBe(SIZE);
    });
  }
});
