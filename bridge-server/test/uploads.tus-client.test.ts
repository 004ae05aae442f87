// tus conformance as an integrator sees it: the official tus-js-client in each mode
// the server advertises, against a real Postgres, real disk stores and real sockets.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { UPLOAD_ERROR_HEADER, uploadIdFromUrl } from '@stockroom/shared-types';
import * as tus from 'tus-js-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadBed, sha256Of, startUploadApp, tokenFor, type UploadApp, type UploadBed } from './support/upload-harness.ts';

let bed: UploadBed;
let app: UploadApp;

beforeAll(async () => {
  bed = await createUploadBed('tus-client');
  app = await startUploadApp({ ...bed.appOptions, maxUploadBytes: 4 * 1024 * 1024 });
});

afterAll(async () => {
  await app?.close();
  await bed?.close();
});

const auth = () => ({ Authorization: `Bearer ${tokenFor(bed.user.id)}` });

interface Outcome {
  url: string;
  /** Every response the client saw: method, status and the headers a test looks at. */
  responses: Array<{ method: string; status: number; offset: string | null; expires: string | null }>;
}

function upload(
  data: Buffer,
  options: Partial<tus.UploadOptions> & { declared?: string } = {},
): { done: Promise<Outcome>; upload: tus.Upload; responses: Outcome['responses'] } {
  const responses: Outcome['responses'] = [];
  let instance!: tus.Upload;
  const done = new Promise<Outcome>((resolve, reject) => {
    instance = new tus.Upload(data, {
      endpoint: app.endpoint,
      headers: auth(),
      metadata: { sha256: options.declared ?? sha256Of(data), filename: 'frame.png', filetype: 'image/png' },
      retryDelays: [],
      onAfterResponse: (req, res) => {
        responses.push({
          method: req.getMethod(),
          status: res.getStatus(),
          offset: res.getHeader('Upload-Offset') ?? null,
          expires: res.getHeader('Upload-Expires') ?? null,
        });
      },
      onSuccess: () => resolve({ url: instance.url!, responses }),
      onError: reject,
      ...options,
    });
    instance.start();
  });
  return { done, upload: instance, responses };
}

/** The error body a tus-js-client error carries: the one HTTP error shape. */
function bodyOf(error: unknown): { error: { code: string; message: string } } {
  const response = (error as tus.DetailedError).originalResponse;
  if (!response) throw new Error(`no response in ${String(error)}`);
  return JSON.parse(response.getBody()) as { error: { code: string; message: string } };
}

async function filesOf(id: string): Promise<string[]> {
  return (await readdir(bed.uploadDir)).filter((name) => name.startsWith(id));
}

async function expectStored(url: string, data: Buffer): Promise<void> {
  const id = uploadIdFromUrl(url);
  expect(await bed.prisma.upload.findUniqueOrThrow({ where: { id } })).toMatchObject({
    status: 'complete',
    blobSha256: sha256Of(data),
    size: BigInt(data.length),
  });
  expect(await bed.blobStore.stat(sha256Of(data))).toEqual({ size: data.length });
  // Nothing of the upload is left behind: no partial file, tus info or saved hash state.
  expect(await filesOf(id)).toEqual([]);
}

describe('tus-js-client against the advertised extensions', () => {
  it('advertises exactly the extensions that work: creation, creation-with-upload, termination, expiration', async () => {
    const response = await fetch(app.endpoint, { method: 'OPTIONS', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('tus-version')).toBe('1.0.0');
    expect(response.headers.get('tus-extension')?.split(',').sort()).toEqual(['creation', 'creation-with-upload', 'expiration', 'termination']);
    expect(response.headers.get('tus-max-size')).toBe(String(4 * 1024 * 1024));
  });

  it.each([
    ['POST, then the file in one PATCH', {}, ['POST', 'PATCH']],
    ['POST, then five PATCHes', { chunkSize: 64 * 1024 }, ['POST', 'PATCH', 'PATCH', 'PATCH', 'PATCH', 'PATCH']],
    ['the whole file in the creating POST', { uploadDataDuringCreation: true }, ['POST']],
    ['the first chunk in the POST, the rest in PATCHes', { uploadDataDuringCreation: true, chunkSize: 128 * 1024 }, ['POST', 'PATCH', 'PATCH']],
  ] as const)('uploads with %s', async (_label, options, methods) => {
    const data = randomBytes(300 * 1024);
    const { url, responses } = await upload(data, options).done;
    expect(responses.map((r) => r.method)).toEqual(methods);
    expect(responses.every((r) => r.status === 201 || r.status === 204)).toBe(true);
    expect(responses.at(-1)!.offset).toBe(String(data.length));
    await expectStored(url, data);
  });

  it.each([
    ['POST then PATCH', {}],
    ['creation-with-upload', { uploadDataDuringCreation: true }],
  ] as const)('uploads a 0-byte file (%s): the upload completes with an empty blob', async (_label, options) => {
    const data = Buffer.alloc(0);
    const { url } = await upload(data, options).done;
    await expectStored(url, data);
  });

  it('creation-with-upload with the wrong SHA-256 fails with CHECKSUM_MISMATCH and leaves no blob and no file', async () => {
    const data = randomBytes(50 * 1024);
    const declared = sha256Of(Buffer.from('another file'));
    const error = await upload(data, { uploadDataDuringCreation: true, declared }).done.then(
      () => {
        throw new Error('the upload should have failed');
      },
      (e: unknown) => e,
    );
    expect(bodyOf(error).error.code).toBe('CHECKSUM_MISMATCH');
    expect(await bed.blobStore.has(sha256Of(data))).toBe(false);
    expect(await bed.blobStore.has(declared)).toBe(false);
    const row = await bed.prisma.upload.findFirstOrThrow({ where: { declaredSha256: declared } });
    expect(row.status).toBe('failed');
    expect(await filesOf(row.id)).toEqual([]);
  });

  it('termination: abort(true) deletes the upload; its bytes are gone and it cannot be resumed', async () => {
    const data = randomBytes(512 * 1024);
    let created!: () => void;
    const started = new Promise<void>((resolve) => (created = resolve));
    let chunks = 0;
    const run = upload(data, {
      chunkSize: 64 * 1024,
      onChunkComplete: () => {
        chunks += 1;
        if (chunks === 2) created();
      },
    });
    run.done.catch(() => {});
    await started;
    await run.upload.abort(true);
    const id = uploadIdFromUrl(run.upload.url!);
    expect(await bed.prisma.upload.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', failure: 'cancelled by the client' });
    expect(await filesOf(id)).toEqual([]);
    const head = await fetch(run.upload.url!, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', ...auth() } });
    expect(head.status).toBe(410);
    expect(JSON.parse(head.headers.get(UPLOAD_ERROR_HEADER)!).code).toBe('UPLOAD_INCOMPLETE');
  });

  it('expiration: a partial upload carries Upload-Expires; once expired, tus-js-client starts a new upload and finishes', async () => {
    const data = randomBytes(256 * 1024);
    let firstChunk!: () => void;
    const chunkDone = new Promise<void>((resolve) => (firstChunk = resolve));
    const partial = upload(data, { chunkSize: 64 * 1024, onChunkComplete: () => firstChunk() });
    partial.done.catch(() => {});
    await chunkDone;
    await partial.upload.abort();
    const firstUrl = partial.upload.url!;
    // The creation and each PATCH of an unfinished upload say when it expires.
    const expiries = partial.responses.map((r) => r.expires);
    expect(expiries.length).toBeGreaterThanOrEqual(2);
    expect(expiries.every((e) => e !== null)).toBe(true);
    const expires = new Date(expiries[0]!);
    expect(expires.getTime()).toBeGreaterThan(Date.now());

    // The abort may leave the next chunk's PATCH in flight on the server: the offset is settled once two looks agree.
    const offsetNow = async () => (await fetch(firstUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', ...auth() } })).headers.get('Upload-Offset');
    let offset = await offsetNow();
    for (let settledLooks = 0; settledLooks < 2; ) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      const again = await offsetNow();
      settledLooks = again === offset ? settledLooks + 1 : 0;
      offset = again;
    }
    expect(Number(offset)).toBeGreaterThanOrEqual(65536);

    await app.handler.cleanupExpiredUploads(expires.getTime() + 1000);
    const gone = await fetch(firstUrl, {
      method: 'PATCH',
      headers: { 'Tus-Resumable': '1.0.0', ...auth(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
      body: data.subarray(Number(offset)),
    });
    expect(gone.status).toBe(410);
    expect((await gone.json()) as unknown).toMatchObject({ error: { code: 'UPLOAD_INCOMPLETE', message: expect.stringContaining('expired') } });

    const resumed = await upload(data, { uploadUrl: firstUrl }).done;
    expect(resumed.url).not.toBe(firstUrl);
    await expectStored(resumed.url, data);
  });

  it('deferred length is not advertised: a client that tries it gets a clear PROTOCOL_ERROR and nothing is recorded', async () => {
    const before = await bed.prisma.upload.count();
    const error = await upload(randomBytes(1000), { uploadLengthDeferred: true }).done.then(
      () => {
        throw new Error('the upload should have been refused');
      },
      (e: unknown) => e,
    );
    expect(bodyOf(error).error).toMatchObject({ code: 'PROTOCOL_ERROR', message: expect.stringContaining('Upload-Length') });
    expect(await bed.prisma.upload.count()).toBe(before);
  });

  it('answers every tus error with the HTTP error shape {"error":{code,message}} and the same in the Stockroom-Error header', async () => {
    const unknown = await fetch(`${app.endpoint}/0123456789abcdef`, {
      method: 'PATCH',
      headers: { 'Tus-Resumable': '1.0.0', ...auth(), 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      body: 'x',
    });
    expect(unknown.status).toBe(404);
    const body = (await unknown.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(JSON.parse(unknown.headers.get(UPLOAD_ERROR_HEADER)!)).toEqual(body.error);

    const tooLarge = await upload(randomBytes(4 * 1024 * 1024 + 1)).done.catch((e: unknown) => e);
    expect(bodyOf(tooLarge).error.code).toBe('UPLOAD_TOO_LARGE');
  });
});
