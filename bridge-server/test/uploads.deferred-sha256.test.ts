// The SHA-256 declared after the bytes (Stockroom-Sha256 on an empty PATCH), so a client can
// hash while it sends: the bytes wait, unverified and unusable, until the declaration; then
// they become a blob, or CHECKSUM_MISMATCH keeps nothing. Declared at creation still works
// as before (the other upload tests).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { UPLOAD_INCOMPLETE_REASONS, UPLOAD_SHA256_HEADER, uploadIdFromUrl } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/services/actor.ts';
import { UploadsService } from '../src/services/uploads.ts';
import { createUploadBed, errorOf, sha256Of, startUploadApp, tokenFor, tusMetadata, type UploadApp, type UploadBed } from './support/upload-harness.ts';

const run = promisify(execFile);

let bed: UploadBed;
let actor: Actor;
let app: UploadApp;
let other: UploadApp;

beforeAll(async () => {
  bed = await createUploadBed('uploads-deferred');
  const { user } = bed;
  actor = { user: { id: user.id, name: user.name, email: user.email, role: 'member' }, clientApp: 'script' };
  // Two processes' worth of handlers on one database and one upload folder, with the
  // database's advisory locks: the bytes may reach one and the declaration the other.
  app = await startUploadApp(bed.appOptions);
  other = await startUploadApp(bed.appOptions);
});

afterAll(async () => {
  await app?.close();
  await other?.close();
  await bed?.close();
});

const headers = () => ({ 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${tokenFor(bed.user.id)}` });

/** Creates an upload without a SHA-256 in its metadata; returns its URL on `on`. */
async function create(size: number, on = app): Promise<string> {
  const response = await fetch(on.endpoint, {
    method: 'POST',
    headers: { ...headers(), 'Upload-Length': String(size), 'Upload-Metadata': tusMetadata({ filename: 'clip.mov', filetype: 'video/quicktime' }) },
  });
  expect(response.status).toBe(201);
  return new URL(response.headers.get('location')!, on.url).toString();
}

function patch(url: string, offset: number, bytes: Buffer): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...headers(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });
}

function declare(url: string, offset: number, sha256: string): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...headers(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream', [UPLOAD_SHA256_HEADER]: sha256 },
  });
}

/** The same URL on the other handler (another process, in production). */
const onOther = (url: string) => `${other.url}${new URL(url).pathname}`;
const row = (url: string) => bed.prisma.upload.findUniqueOrThrow({ where: { id: uploadIdFromUrl(url) } });
const filesOf = async (url: string) => (await readdir(bed.uploadDir)).filter((name) => name.startsWith(uploadIdFromUrl(url)));

async function checkIn(url: string) {
  const service = new UploadsService(bed.prisma, app.handler.receivedBytes);
  return bed.prisma.$transaction((tx) => service.consume(tx, uploadIdFromUrl(url), actor));
}

describe('the SHA-256 declared after the bytes', () => {
  it('keeps the bytes unverified until the declaration, then stores them as a blob; a repeated declaration is answered the same', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 7);
    const sha256 = sha256Of(data);
    const url = await create(data.length);
    expect((await patch(url, 0, data)).status).toBe(204);
    expect(await row(url)).toMatchObject({ status: 'pending', declaredSha256: null, receivedSha256: sha256, blobSha256: null });
    expect(await bed.blobStore.has(sha256)).toBe(false);
    const head = await fetch(url, { method: 'HEAD', headers: headers() });
    expect(head.headers.get('upload-offset')).toBe(String(data.length));

    // Declared through the other process: the hash kept at the last byte is in the database.
    const declared = await declare(onOther(url), data.length, sha256.toUpperCase());
    expect(declared.status).toBe(204);
    expect(declared.headers.get('upload-offset')).toBe(String(data.length));
    expect(await row(url)).toMatchObject({ status: 'complete', declaredSha256: sha256, blobSha256: sha256 });
    expect(Buffer.compare(await readFile(bed.blobStore.localPath(sha256)), data)).toBe(0);
    expect(await filesOf(url)).toEqual([]);

    // The answer was lost, say: the same declaration again is the same answer; another is refused.
    expect((await declare(url, data.length, sha256)).status).toBe(204);
    const changed = await declare(url, data.length, sha256Of(Buffer.from('other')));
    expect(changed.status).toBe(409);
    expect((await errorOf(changed)).code).toBe('CONFLICT');
    expect(await checkIn(url)).toMatchObject({ blobSha256: sha256, size: data.length, fileName: 'clip.mov' });
  });

  it('answers CHECKSUM_MISMATCH for a wrong SHA-256 and keeps nothing', async () => {
    const data = randomBytes(300_000);
    const wrong = sha256Of(Buffer.concat([data, Buffer.from('x')]));
    const url = await create(data.length);
    expect((await patch(url, 0, data)).status).toBe(204);
    const response = await declare(url, data.length, wrong);
    expect(response.status).toBe(460);
    const error = await errorOf(response);
    expect(error).toMatchObject({ code: 'CHECKSUM_MISMATCH', data: { declared: wrong, received: sha256Of(data) } });
    expect(await row(url)).toMatchObject({ status: 'failed', blobSha256: null });
    expect(await bed.blobStore.has(sha256Of(data))).toBe(false);
    expect(await bed.blobStore.has(wrong)).toBe(false);
    expect(await filesOf(url)).toEqual([]);
    expect((await fetch(url, { method: 'HEAD', headers: headers() })).status).toBe(410);
    // Declaring again does not bring the upload back.
    expect((await errorOf(await declare(url, data.length, sha256Of(data)))).code).toBe('UPLOAD_INCOMPLETE');
  });

  it('refuses to check in an upload whose SHA-256 was never declared, saying what to do, and expires it like any unfinished upload', async () => {
    const data = randomBytes(100_000);
    const url = await create(data.length);
    expect((await patch(url, 0, data)).status).toBe(204);
    const refused = await checkIn(url).catch((error: unknown) => error);
    expect(refused).toMatchObject({
      code: 'UPLOAD_INCOMPLETE',
      message: expect.stringContaining(UPLOAD_SHA256_HEADER),
      data: { reason: UPLOAD_INCOMPLETE_REASONS.sha256Undeclared, size: data.length, offset: data.length },
    });
    // Not consumed: after the declaration it checks in.
    expect(await row(url)).toMatchObject({ consumedAt: null, status: 'pending' });

    // An upload missing bytes says so, with another reason.
    const partial = await create(data.length);
    expect((await patch(partial, 0, data.subarray(0, 1000))).status).toBe(204);
    expect(await checkIn(partial).catch((error: unknown) => error)).toMatchObject({
      code: 'UPLOAD_INCOMPLETE',
      data: { reason: UPLOAD_INCOMPLETE_REASONS.bytesMissing, offset: 1000 },
    });

    const { expired } = await app.handler.cleanupExpiredUploads(Date.now() + 2 * 3600_000);
    expect(expired).toBeGreaterThanOrEqual(2);
    expect(await row(url)).toMatchObject({ status: 'failed' });
    expect(await filesOf(url)).toEqual([]);
    expect(await bed.blobStore.has(sha256Of(data))).toBe(false);
  });

  it('works for an upload resumed after a drop, and a declaration sent before the last byte is checked when it arrives', async () => {
    const data = randomBytes(1024 * 1024 + 99);
    const sha256 = sha256Of(data);
    const url = await create(data.length);
    // The first request breaks off after some bytes: the server keeps what arrived.
    await cutPatch(url, 0, data, 400_000);
    // HEAD waits for the upload's lock: the cut request has stored all it will by then.
    const offset = Number((await fetch(url, { method: 'HEAD', headers: headers() })).headers.get('upload-offset'));
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(data.length);
    // The rest goes to the other process, then the declaration.
    expect((await patch(onOther(url), offset, data.subarray(offset))).status).toBe(204);
    expect((await declare(url, data.length, sha256)).status).toBe(204);
    expect(await row(url)).toMatchObject({ status: 'complete', blobSha256: sha256 });

    const early = Buffer.from(data);
    early[5]! ^= 1;
    const earlyUrl = await create(early.length);
    expect((await patch(earlyUrl, 0, early.subarray(0, 5000))).status).toBe(204);
    // Declared in the middle (at the current offset): kept, and the last byte finishes the upload.
    const midway = await declare(earlyUrl, 5000, sha256Of(early));
    expect(midway.status).toBe(204);
    expect(midway.headers.get('upload-offset')).toBe('5000');
    expect(await row(earlyUrl)).toMatchObject({ status: 'pending', declaredSha256: sha256Of(early) });
    expect((await patch(earlyUrl, 5000, early.subarray(5000))).status).toBe(204);
    expect(await row(earlyUrl)).toMatchObject({ status: 'complete', blobSha256: sha256Of(early) });
  });

  it('refuses a declaration that races a PATCH still sending bytes, without cutting that PATCH; declared afterwards it finishes', async () => {
    const data = randomBytes(1024 * 1024);
    const sha256 = sha256Of(data);
    const url = await create(data.length);
    const target = new URL(url);
    // A PATCH whose body arrives in two parts, the second only when the test says.
    const request = http.request(target, {
      method: 'PATCH',
      headers: {
        ...headers(),
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(data.length),
      },
    });
    const answered = new Promise<number>((resolve, reject) => {
      request.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      request.on('error', reject);
    });
    request.write(data.subarray(0, 600_000));
    await waitForOffset(url, (n) => n >= 600_000);
    const early = await declare(onOther(url), data.length, sha256);
    expect(early.status).toBe(409);
    expect(await errorOf(early)).toMatchObject({ code: 'CONFLICT', data: { offset: 600_000 } });
    request.end(data.subarray(600_000));
    expect(await answered).toBe(204);
    expect(await row(url)).toMatchObject({ status: 'pending', declaredSha256: null, receivedSha256: sha256 });

    // Two declarations at once, to both processes: one finish, one blob, both answered 204.
    const both = await Promise.all([declare(url, data.length, sha256), declare(onOther(url), data.length, sha256)]);
    expect(both.map((r) => r.status)).toEqual([204, 204]);
    expect(await row(url)).toMatchObject({ status: 'complete', blobSha256: sha256 });
    expect(Buffer.compare(await readFile(bed.blobStore.localPath(sha256)), data)).toBe(0);
  });

  it('refuses a malformed declaration with a clear code, and changes nothing', async () => {
    const data = randomBytes(1000);
    const url = await create(data.length);
    expect((await patch(url, 0, data)).status).toBe(204);
    const bad = await declare(url, data.length, 'abc');
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatchObject({ code: 'VALIDATION_FAILED', data: { field: UPLOAD_SHA256_HEADER } });
    const withBytes = await fetch(url, {
      method: 'PATCH',
      headers: {
        ...headers(),
        'Upload-Offset': String(data.length),
        'Content-Type': 'application/offset+octet-stream',
        [UPLOAD_SHA256_HEADER]: sha256Of(data),
      },
      body: Buffer.from('more'),
    });
    expect(withBytes.status).toBe(400);
    expect((await errorOf(withBytes)).code).toBe('PROTOCOL_ERROR');
    // An empty PATCH at the end without the header neither finishes nor re-hashes anything.
    expect((await patch(url, data.length, Buffer.alloc(0))).status).toBe(204);
    expect(await row(url)).toMatchObject({ status: 'pending', declaredSha256: null, receivedSha256: sha256Of(data) });
    expect((await declare(url, data.length, sha256Of(data))).status).toBe(204);
    expect(await row(url)).toMatchObject({ status: 'complete' });
  });

  it('an empty file declared afterwards becomes a blob too', async () => {
    const url = await create(0);
    expect(await row(url)).toMatchObject({ status: 'pending', receivedSha256: sha256Of(Buffer.alloc(0)) });
    expect((await declare(url, 0, sha256Of(Buffer.alloc(0)))).status).toBe(204);
    expect(await row(url)).toMatchObject({ status: 'complete', blobSha256: sha256Of(Buffer.alloc(0)) });
  });

  it('works from curl: create without a SHA-256, send the file, declare it', async () => {
    const data = randomBytes(700_000);
    const sha256 = sha256Of(data);
    const file = path.join(bed.root, 'curl.bin');
    await writeFile(file, data);
    const auth = ['-H', 'Tus-Resumable: 1.0.0', '-H', `Authorization: Bearer ${tokenFor(bed.user.id)}`];
    const created = await run('curl', [
      '-sS',
      '-D',
      '-',
      '-o',
      '/dev/null',
      '-X',
      'POST',
      ...auth,
      '-H',
      `Upload-Length: ${data.length}`,
      '-H',
      `Upload-Metadata: ${tusMetadata({ filename: 'curl.bin' })}`,
      app.endpoint,
    ]);
    const location = /^location: (\S+)/im.exec(created.stdout)![1]!;
    const url = new URL(location, app.url).toString();
    /** A PATCH with curl; its HTTP status. */
    const curlPatch = async (offset: number, ...args: string[]) =>
      (
        await run('curl', [
          '-sS',
          '-o',
          '/dev/null',
          '-w',
          '%{http_code}',
          '-X',
          'PATCH',
          ...auth,
          '-H',
          `Upload-Offset: ${offset}`,
          '-H',
          'Content-Type: application/offset+octet-stream',
          ...args,
          url,
        ])
      ).stdout;
    expect(await curlPatch(0, '--data-binary', `@${file}`)).toBe('204');
    expect(await curlPatch(data.length, '-H', `${UPLOAD_SHA256_HEADER}: ${sha256}`)).toBe('204');
    expect(await row(url)).toMatchObject({ status: 'complete', blobSha256: sha256 });
  });
});

/** Sends `bytes` from `offset` and cuts the connection once `after` bytes are on the wire. */
async function cutPatch(url: string, offset: number, bytes: Buffer, after: number): Promise<void> {
  const request = http.request(new URL(url), {
    method: 'PATCH',
    headers: {
      ...headers(),
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(bytes.length - offset),
    },
  });
  request.on('error', () => {});
  await new Promise<void>((resolve) => request.write(bytes.subarray(offset, offset + after), () => resolve()));
  await waitForOffset(url, (n) => n > 0);
  request.destroy();
}

/**
 * Polls the bytes on disk until their count satisfies `ok` (several seconds at most). Not
 * HEAD: HEAD takes the upload's lock, which asks a PATCH still sending to stop.
 */
async function waitForOffset(url: string, ok: (offset: number) => boolean): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const offset = (await app.handler.receivedBytes(uploadIdFromUrl(url))) ?? 0;
    if (ok(offset)) return offset;
    if (Date.now() > deadline) throw new Error(`offset stayed at ${offset}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
