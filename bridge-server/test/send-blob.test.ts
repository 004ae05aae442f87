// Downloads over real loopback HTTP from a real disk blob store.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parse as parseContentDisposition } from 'content-disposition';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskBlobStore } from '../src/adapters/blob-store/disk.ts';
import type { BlobStore } from '../src/ports/blob-store.ts';
import { sendBlob, type BlobToSend } from '../src/http/send-blob.ts';

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

let root: string;
let server: Server;
let url: string;
let store: DiskBlobStore;
const blobs = new Map<string, BlobToSend>();
/** Streams handed out by the store, to see that an abandoned download closes its file. */
const opened: NodeJS.ReadableStream[] = [];

const data = Buffer.from('0123456789'.repeat(100));
const big = randomBytes(32 * 1024 * 1024);
const fileName = 'Übersicht Plan 2026 — “final” 東京.pdf';

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'send-blob-'));
  store = new DiskBlobStore(path.join(root, 'blobs'));
  const recording: BlobStore = {
    putFile: (...args) => store.putFile(...args),
    has: (sha) => store.has(sha),
    stat: (sha) => store.stat(sha),
    delete: (sha) => store.delete(sha),
    async createReadStream(sha, range) {
      const stream = await store.createReadStream(sha, range);
      opened.push(stream);
      return stream;
    },
  };
  for (const [bytes, name, mimeType] of [
    [data, fileName, 'application/pdf'],
    [big, 'big.bin', 'application/octet-stream'],
  ] as const) {
    const file = path.join(root, randomBytes(6).toString('hex'));
    await writeFile(file, bytes);
    const sha256 = sha256Of(bytes);
    await store.putFile(file, sha256, bytes.length);
    blobs.set(sha256, { sha256, size: bytes.length, fileName: name, mimeType });
  }
  server = createServer((req, res) => {
    const blob = blobs.get(req.url!.slice(1));
    if (!blob) return void res.writeHead(404).end();
    sendBlob(req, res, recording, blob).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(root, { recursive: true, force: true });
});

const get = (sha: string, headers: Record<string, string> = {}, method = 'GET') => fetch(`${url}/${sha}`, { method, headers });
const dataSha = sha256Of(data);

describe('sendBlob', () => {
  it('sends the whole file with a strong ETag, its type, length and original name', async () => {
    const response = await get(dataSha);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${dataSha}"`);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-length')).toBe(String(data.length));
    expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
  });

  it('carries a non-ASCII file name in Content-Disposition (RFC 5987 filename*, ASCII fallback)', async () => {
    const header = (await get(dataSha)).headers.get('content-disposition')!;
    expect(header).toMatch(/^attachment; /);
    expect(header).toContain("filename*=UTF-8''");
    // The header itself is plain ASCII, as HTTP requires.
    expect(/^[\x20-\x7e]*$/.test(header)).toBe(true);
    expect(parseContentDisposition(header).parameters.filename).toBe(fileName);
  });

  it('answers a byte range with 206 and Content-Range', async () => {
    const response = await get(dataSha, { Range: 'bytes=10-19' });
    expect(response.status).toBe(206);
    expect(response.headers.get('content-range')).toBe(`bytes 10-19/${data.length}`);
    expect(response.headers.get('content-length')).toBe('10');
    expect(await response.text()).toBe(data.subarray(10, 20).toString());

    const suffix = await get(dataSha, { Range: 'bytes=-5' });
    expect(suffix.status).toBe(206);
    expect(await suffix.text()).toBe(data.subarray(data.length - 5).toString());

    const open = await get(dataSha, { Range: `bytes=${data.length - 3}-` });
    expect(open.headers.get('content-range')).toBe(`bytes ${data.length - 3}-${data.length - 1}/${data.length}`);
    expect(await open.text()).toBe(data.subarray(data.length - 3).toString());
  });

  it('answers an unsatisfiable range with 416 and the size', async () => {
    const response = await get(dataSha, { Range: `bytes=${data.length}-` });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${data.length}`);
  });

  it('sends the whole file for a Range it does not serve: another unit, several ranges', async () => {
    for (const range of ['lines=1-2', 'bytes=0-1,50-60']) {
      const response = await get(dataSha, { Range: range });
      expect(response.status).toBe(200);
      expect((await response.arrayBuffer()).byteLength).toBe(data.length);
    }
  });

  it('answers If-None-Match with the ETag by 304 and no body', async () => {
    const response = await get(dataSha, { 'If-None-Match': `"other", "${dataSha}"` });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(`"${dataSha}"`);
    expect(await response.text()).toBe('');
    expect((await get(dataSha, { 'If-None-Match': '"stale"' })).status).toBe(200);
  });

  it('honours Range only when If-Range still names these bytes', async () => {
    const same = await get(dataSha, { Range: 'bytes=0-4', 'If-Range': `"${dataSha}"` });
    expect(same.status).toBe(206);
    expect(await same.text()).toBe('01234');
    const changed = await get(dataSha, { Range: 'bytes=0-4', 'If-Range': '"an-older-version"' });
    expect(changed.status).toBe(200);
    expect((await changed.arrayBuffer()).byteLength).toBe(data.length);
  });

  it('answers HEAD with the headers and no body, without opening the file', async () => {
    const before = opened.length;
    const response = await get(dataSha, {}, 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(data.length));
    expect(response.headers.get('etag')).toBe(`"${dataSha}"`);
    expect(response.headers.get('content-disposition')).toContain('filename*=');
    expect(opened.length).toBe(before);
  });

  it('closes the file when the client goes away in the middle of a download', async () => {
    const before = opened.length;
    await new Promise<void>((resolve, reject) => {
      const request = http.get(`${url}/${sha256Of(big)}`, (response) => {
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', () => {});
      request.setTimeout(10_000, () => reject(new Error('no data')));
    });
    expect(opened.length).toBe(before + 1);
    const stream = opened[before] as NodeJS.ReadableStream & { destroyed: boolean; closed: boolean };
    for (let i = 0; i < 50 && !stream.closed; i++) await delay(20);
    expect(stream.destroyed).toBe(true);
    expect(stream.closed).toBe(true);
  });
});
