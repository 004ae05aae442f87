// Two upload endpoints over one database, one shared upload folder and one blob
// store — what two api processes behind a load balancer are — with the Postgres
// upload locks. (The OS-process version of these runs in scale/cluster.test.ts.)
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { uploadIdFromUrl } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadBed, sha256Of, startUploadApp, tokenFor, tusMetadata, type UploadApp, type UploadBed } from './support/upload-harness.ts';

let bed: UploadBed;
let a: UploadApp;
let b: UploadApp;

beforeAll(async () => {
  bed = await createUploadBed('shared-lock');
  const options = { ...bed.appOptions, lockDrainTimeoutMs: 300 };
  a = await startUploadApp(options);
  b = await startUploadApp(options);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  await bed?.close();
});

const headers = () => ({ 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${tokenFor(bed.user.id)}` });

async function create(app: UploadApp, data: Buffer): Promise<string> {
  const response = await fetch(app.endpoint, {
    method: 'POST',
    headers: { ...headers(), 'Upload-Length': String(data.length), 'Upload-Metadata': tusMetadata({ sha256: sha256Of(data), filename: 'shot.exr' }) },
  });
  expect(response.status).toBe(201);
  return uploadIdFromUrl(response.headers.get('location')!);
}

const urlOn = (app: UploadApp, id: string) => `${app.endpoint}/${id}`;

function patch(app: UploadApp, id: string, offset: number, body: Buffer): Promise<Response> {
  return fetch(urlOn(app, id), {
    method: 'PATCH',
    headers: { ...headers(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body,
  });
}

describe('uploads continued by another process', () => {
  it('a stalled PATCH on one process is released when another asks; its late bytes cannot change the stored blob', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const id = await create(a, data);
    const early = 512 * 1024;

    // A client sends part of a PATCH to A, then stalls with the connection open.
    const stalled = http.request(urlOn(a, id), {
      method: 'PATCH',
      headers: { ...headers(), 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(data.length) },
    });
    const stalledDone = new Promise<void>((resolve) => {
      stalled.on('response', (res) => res.resume().on('end', resolve).on('error', resolve));
      stalled.on('error', () => resolve());
      stalled.on('close', () => resolve());
    });
    stalled.write(data.subarray(0, early));
    for (let i = 0; i < 100; i++) {
      if (
        (await stat(path.join(bed.uploadDir, id)).then(
          (s) => s.size,
          () => 0,
        )) >= early
      )
        break;
      await delay(50);
    }

    // It resumes through B: B's HEAD asks A to let go of the upload, and answers with what A kept.
    const head = await fetch(urlOn(b, id), { method: 'HEAD', headers: headers() });
    expect(head.status).toBe(200);
    const offset = Number(head.headers.get('upload-offset'));
    expect(offset).toBe(early);
    const rest = await patch(b, id, offset, data.subarray(offset));
    expect(rest.status).toBe(204);
    const row = await bed.prisma.upload.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });

    // The stalled client wakes up and sends the rest of its request — other bytes.
    stalled.end(Buffer.alloc(data.length - early, 0x5a));
    await stalledDone;
    const stored = await readFile(bed.blobStore.localPath(sha256Of(data)));
    expect(createHash('sha256').update(stored).digest('hex')).toBe(sha256Of(data));
    expect(stored.equals(data)).toBe(true);
  });

  it('50 PATCHes of the same bytes at the same offset across both processes: exactly one is taken', async () => {
    const data = randomBytes(256 * 1024);
    const id = await create(a, data);
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => patch(i % 2 ? b : a, id, 0, data)));
    const statuses = responses.map((r) => r.status);
    const winners = responses.filter((r) => r.status === 204);
    expect(winners).toHaveLength(1);
    // The others learn the offset moved (409), or that the upload is busy (423).
    expect(statuses.filter((s) => s !== 204).every((s) => s === 409 || s === 423)).toBe(true);
    // The winner may have been asked to let go part way (on a loaded machine): the
    // server then holds exactly what it acknowledged, and the client resumes from there.
    const offset = Number(winners[0]!.headers.get('upload-offset'));
    const head = await fetch(urlOn(b, id), { method: 'HEAD', headers: headers() });
    expect(Number(head.headers.get('upload-offset'))).toBe(offset);
    if (offset < data.length) expect((await patch(a, id, offset, data.subarray(offset))).status).toBe(204);
    expect(await bed.prisma.upload.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });
    expect((await readFile(bed.blobStore.localPath(sha256Of(data)))).equals(data)).toBe(true);
  });
});
