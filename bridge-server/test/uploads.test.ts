// The tus endpoint against a real Postgres database, a real disk blob store and
// real loopback sockets; tus-js-client and raw HTTP as clients.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { uploadIdFromUrl } from '@stockroom/shared-types';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskBlobStore } from '../src/adapters/blob-store/disk.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { errorOf, sha256Of, startUploadApp, tokenFor, tusMetadata, type UploadApp } from './support/upload-harness.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let root: string;
let blobDir: string;
let uploadDir: string;
let blobStore: DiskBlobStore;
let app: UploadApp;
let userId: string;
let otherUserId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 4 });
  root = await mkdtemp(path.join(os.tmpdir(), 'uploads-test-'));
  blobDir = path.join(root, 'blobs');
  uploadDir = path.join(root, 'uploads');
  await mkdir(uploadDir, { recursive: true });
  blobStore = new DiskBlobStore(blobDir);
  app = await startUploadApp({ prisma, blobStore, uploadDir, maxUploadBytes: 8 * 1024 * 1024, databaseUrl: database.url });
  userId = (await prisma.user.create({ data: { email: 'uploader@example.test', name: 'Uploader' } })).id;
  otherUserId = (await prisma.user.create({ data: { email: 'other@example.test', name: 'Other' } })).id;
});

afterAll(async () => {
  await app?.close();
  await prisma?.$disconnect();
  await database?.drop();
  await rm(root, { recursive: true, force: true });
});

const auth = (id = userId) => ({ Authorization: `Bearer ${tokenFor(id)}` });
const tusHeaders = { 'Tus-Resumable': '1.0.0' };

async function create(target: UploadApp, size: number, metadata: Record<string, string>, headers: Record<string, string> = auth()): Promise<Response> {
  return fetch(target.endpoint, {
    method: 'POST',
    headers: { ...tusHeaders, ...headers, 'Upload-Length': String(size), 'Upload-Metadata': tusMetadata(metadata) },
  });
}

async function createFor(target: UploadApp, data: Buffer, meta: Partial<Record<string, string>> = {}): Promise<string> {
  const response = await create(target, data.length, { sha256: sha256Of(data), filename: 'clip.mov', filetype: 'video/quicktime', ...meta } as Record<
    string,
    string
  >);
  expect(response.status).toBe(201);
  return new URL(response.headers.get('location')!, target.url).toString();
}

function patch(url: string, offset: number, bytes: Buffer, headers: Record<string, string> = auth()): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...tusHeaders, ...headers, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });
}

async function headOffset(url: string, headers: Record<string, string> = auth()): Promise<number> {
  const response = await fetch(url, { method: 'HEAD', headers: { ...tusHeaders, ...headers } });
  expect(response.status).toBe(200);
  return Number(response.headers.get('upload-offset'));
}

/** Sends the first `sent` bytes of a PATCH that announced all of `bytes`, then drops the connection. */
async function patchAndCut(url: string, offset: number, bytes: Buffer, sent: number): Promise<void> {
  const request = http.request(url, {
    method: 'PATCH',
    headers: {
      ...tusHeaders,
      ...auth(),
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(bytes.length),
    },
  });
  request.on('error', () => {});
  request.write(bytes.subarray(0, sent));
  await delay(400);
  request.destroy();
}

/** tus-js-client resuming (or starting) an upload; resolves with the bytes it had to send. */
function tusUpload(
  data: Buffer,
  options: { uploadUrl?: string; endpoint?: string; metadata?: Record<string, string> },
): Promise<{ url: string; sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const upload = new tus.Upload(data, {
      endpoint: options.endpoint ?? app.endpoint,
      uploadUrl: options.uploadUrl ?? null,
      headers: auth(),
      metadata: options.metadata ?? { sha256: sha256Of(data), filename: 'clip.mov', filetype: 'video/quicktime' },
      retryDelays: [],
      onChunkComplete: (chunk) => {
        sent += chunk;
      },
      onSuccess: () => resolve({ url: upload.url!, sent }),
      onError: reject,
    });
    upload.start();
  });
}

async function uploadRow(url: string) {
  return prisma.upload.findUniqueOrThrow({ where: { id: uploadIdFromUrl(url) } });
}

describe('tus uploads', () => {
  it('stores a finished upload under its SHA-256 and records the upload and the blob', async () => {
    const data = randomBytes(300 * 1024);
    const { url, sent } = await tusUpload(data, {});
    expect(sent).toBe(data.length);
    const row = await uploadRow(url);
    expect(row).toMatchObject({ status: 'complete', userId, fileName: 'clip.mov', mimeType: 'video/quicktime', blobSha256: sha256Of(data) });
    expect(Number(row.size)).toBe(data.length);
    const blob = await prisma.blob.findUniqueOrThrow({ where: { sha256: sha256Of(data) } });
    expect(Number(blob.size)).toBe(data.length);
    const stored = await readFile(path.join(blobDir, ...blob.storageKey.split('/')));
    expect(stored.equals(data)).toBe(true);
    // The partial file and its tus info moved out of the upload folder.
    expect(await readdir(uploadDir)).not.toContain(row.id);
    expect(await readdir(uploadDir)).not.toContain(`${row.id}.json`);
    // A HEAD on a finished upload reports it whole, so a resuming client finishes at once.
    expect(await headOffset(url)).toBe(data.length);
  });

  it('resumes from the stored offset after the client dropped the connection mid-request', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const url = await createFor(app, data);
    await patchAndCut(url, 0, data, 768 * 1024);

    let offset = 0;
    for (let i = 0; i < 50 && offset === 0; i++) {
      offset = await headOffset(url);
      if (offset === 0) await delay(100);
    }
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThanOrEqual(768 * 1024);
    expect((await uploadRow(url)).status).toBe('pending');

    const resumed = await tusUpload(data, { uploadUrl: url });
    expect(resumed.sent).toBe(data.length - offset);
    expect(await uploadRow(url)).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });
  });

  it('resumes after the handler restarts, rebuilding the running SHA-256 from the partial file', async () => {
    const data = randomBytes(1024 * 1024 + 333);
    const half = 512 * 1024;
    const first = await startUploadApp({ prisma, blobStore, uploadDir, databaseUrl: database.url });
    const url = await createFor(first, data);
    expect((await patch(url, 0, data.subarray(0, half))).status).toBe(204);
    await first.close();

    // A new handler instance over the same folder: no running hash in memory.
    const second = await startUploadApp({ prisma, blobStore, uploadDir, databaseUrl: database.url });
    try {
      const secondUrl = url.replace(first.url, second.url);
      expect(await headOffset(secondUrl)).toBe(half);
      const resumed = await tusUpload(data, { uploadUrl: secondUrl, endpoint: second.endpoint });
      expect(resumed.sent).toBe(data.length - half);
      expect(await uploadRow(url)).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });
      expect(await blobStore.has(sha256Of(data))).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('continues the SHA-256 from the state saved with the offset, on another handler, without re-reading the partial file', async () => {
    const data = randomBytes(600 * 1024);
    const half = 256 * 1024;
    const first = await startUploadApp({ prisma, blobStore, uploadDir, databaseUrl: database.url });
    const url = await createFor(first, data);
    const id = uploadIdFromUrl(url);
    expect((await patch(url, 0, data.subarray(0, half))).status).toBe(204);
    await first.close();
    const saved = await readFile(path.join(uploadDir, `${id}.sha256`));
    expect(Number(saved.readBigUInt64BE(0))).toBe(half);

    // Proof that nothing re-reads the first half: blank it on disk. A handler that
    // rebuilt the hash from the file would now find a mismatch; one that continues
    // the saved state finishes with the SHA-256 of the bytes that were sent.
    await writeFile(path.join(uploadDir, id), Buffer.alloc(half));
    const second = await startUploadApp({ prisma, blobStore, uploadDir, databaseUrl: database.url });
    try {
      const secondUrl = url.replace(first.url, second.url);
      const response = await patch(secondUrl, half, data.subarray(half));
      expect(response.status).toBe(204);
      expect(await uploadRow(url)).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });
      expect(existsSync(path.join(uploadDir, `${id}.sha256`))).toBe(false);
    } finally {
      await second.close();
    }
  });

  it('finishes on the next HEAD when every byte arrived but the server stopped before finishing', async () => {
    const data = randomBytes(64 * 1024);
    const url = await createFor(app, data);
    // The bytes reach the disk as they would right before a crash; no request ran the finish.
    await writeFile(path.join(uploadDir, uploadIdFromUrl(url)), data);
    expect(await headOffset(url)).toBe(data.length);
    expect(await uploadRow(url)).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });
  });

  it('refuses an upload larger than the limit with 413 UPLOAD_TOO_LARGE, recording nothing', async () => {
    const before = await prisma.upload.count();
    const response = await create(app, 8 * 1024 * 1024 + 1, { sha256: 'a'.repeat(64), filename: 'huge.mov' });
    expect(response.status).toBe(413);
    const error = await errorOf(response);
    expect(error.code).toBe('UPLOAD_TOO_LARGE');
    expect(error.message).toContain(String(8 * 1024 * 1024));
    expect(await prisma.upload.count()).toBe(before);
  });

  it('fails an upload whose bytes do not match the declared SHA-256 with CHECKSUM_MISMATCH, storing nothing', async () => {
    const data = randomBytes(100 * 1024);
    const declared = sha256Of(Buffer.from('something else'));
    const url = await createFor(app, data, { sha256: declared });
    const response = await patch(url, 0, data);
    expect(response.status).toBe(460);
    const error = await errorOf(response);
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain(declared);

    const row = await uploadRow(url);
    expect(row.status).toBe('failed');
    expect(row.failure).toContain(sha256Of(data));
    expect(await blobStore.has(sha256Of(data))).toBe(false);
    expect(await blobStore.has(declared)).toBe(false);
    expect(await prisma.blob.count({ where: { sha256: { in: [declared, sha256Of(data)] } } })).toBe(0);
    expect(await readdir(uploadDir)).not.toContain(row.id);
    // tus-js-client surfaces the code from the response.
    await expect(tusUpload(data, { metadata: { sha256: declared, filename: 'x.bin' } })).rejects.toMatchObject({
      originalResponse: expect.anything(),
      message: expect.stringContaining('CHECKSUM_MISMATCH'),
    });
    // The failed upload cannot be resumed; a client is told to start again.
    const head = await fetch(url, { method: 'HEAD', headers: { ...tusHeaders, ...auth() } });
    expect(head.status).toBe(410);
  });

  it.each([
    ['a sha256 that is not 64 hex characters', { sha256: 'abc123', filename: 'a.png' }, 'sha256'],
    ['no filename', { sha256: 'b'.repeat(64) }, 'filename'],
    ['a filename that is only path parts', { sha256: 'b'.repeat(64), filename: '../..' }, 'filename'],
    ['a bad media type', { sha256: 'b'.repeat(64), filename: 'a.png', filetype: 'not a type' }, 'filetype'],
  ])('refuses metadata with %s: VALIDATION_FAILED naming the key, nothing recorded', async (_label, metadata, field) => {
    const before = await prisma.upload.count();
    const files = await readdir(uploadDir);
    const response = await create(app, 10, metadata as Record<string, string>);
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain(`"${field}"`);
    expect(await prisma.upload.count()).toBe(before);
    expect(await readdir(uploadDir)).toEqual(files);
  });

  it('reduces a file name like ../../etc/passwd to its base name and never uses it as a path', async () => {
    const data = Buffer.from('root:x:0:0');
    const { url } = await tusUpload(data, { metadata: { sha256: sha256Of(data), filename: '../../etc/passwd', filetype: 'text/plain' } });
    expect((await uploadRow(url)).fileName).toBe('passwd');
    const windows = Buffer.from('[fonts]');
    const second = await tusUpload(windows, { metadata: { sha256: sha256Of(windows), filename: '..\\..\\Windows\\win.ini' } });
    expect((await uploadRow(second.url)).fileName).toBe('win.ini');
    // Nothing was written next to the folders the name pointed at.
    expect(existsSync(path.join(uploadDir, '..', 'etc'))).toBe(false);
    expect(existsSync(path.join(root, 'etc'))).toBe(false);
    expect((await readdir(uploadDir)).filter((name) => name.includes('passwd') || name.includes('win.ini'))).toEqual([]);
  });

  it('stores identical content once', async () => {
    const data = randomBytes(50 * 1024);
    const first = await tusUpload(data, {});
    const second = await tusUpload(data, {});
    expect(uploadIdFromUrl(first.url)).not.toBe(uploadIdFromUrl(second.url));
    expect((await uploadRow(first.url)).blobSha256).toBe(sha256Of(data));
    expect((await uploadRow(second.url)).blobSha256).toBe(sha256Of(data));
    expect(await prisma.blob.count({ where: { sha256: sha256Of(data) } })).toBe(1);
    const digest = sha256Of(data);
    expect(await readdir(path.join(blobDir, digest.slice(0, 2), digest.slice(2, 4)))).toEqual([digest]);
  });

  it('needs a token, and hides one user’s upload from another', async () => {
    const anonymous = await create(app, 10, { sha256: 'c'.repeat(64), filename: 'a.png' }, {});
    expect(anonymous.status).toBe(401);
    expect((await errorOf(anonymous)).code).toBe('UNAUTHENTICATED');

    const data = randomBytes(1000);
    const url = await createFor(app, data);
    const peek = await fetch(url, { method: 'HEAD', headers: { ...tusHeaders, ...auth(otherUserId) } });
    expect(peek.status).toBe(404);
    const write = await patch(url, 0, data, auth(otherUserId));
    expect(write.status).toBe(404);
    expect((await errorOf(write)).code).toBe('NOT_FOUND');
    expect(await headOffset(url)).toBe(0);
  });

  it('answers a wrong offset with 409 CONFLICT and leaves the upload as it was', async () => {
    const data = randomBytes(1000);
    const url = await createFor(app, data);
    const response = await patch(url, 500, data.subarray(500));
    expect(response.status).toBe(409);
    expect((await errorOf(response)).code).toBe('CONFLICT');
    expect(await headOffset(url)).toBe(0);
  });

  it('removes abandoned partial uploads once they expire, and stray files nobody owns', async () => {
    const data = randomBytes(4096);
    const url = await createFor(app, data);
    expect((await patch(url, 0, data.subarray(0, 1000))).status).toBe(204);
    const id = uploadIdFromUrl(url);
    const stray = path.join(uploadDir, 'deadbeefdeadbeef');
    await writeFile(stray, 'left by a crash');
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(stray, old, old);

    // The upload is younger than the expiry: it stays. The stray file is old: it goes.
    const early = await app.handler.cleanupExpiredUploads();
    expect(early.expired).toBe(0);
    expect(early.orphans).toBeGreaterThanOrEqual(1);
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(path.join(uploadDir, id))).toBe(true);
    expect((await uploadRow(url)).status).toBe('pending');

    const result = await app.handler.cleanupExpiredUploads(Date.now() + 2 * 3600_000);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(existsSync(path.join(uploadDir, id))).toBe(false);
    expect(existsSync(path.join(uploadDir, `${id}.json`))).toBe(false);
    const row = await uploadRow(url);
    expect(row.status).toBe('failed');
    expect(row.failure).toContain('expired');
    const head = await fetch(url, { method: 'HEAD', headers: { ...tusHeaders, ...auth() } });
    expect(head.status).toBe(410);
    expect((await errorOf(head)).code).toBe('UPLOAD_INCOMPLETE');
  });
});
