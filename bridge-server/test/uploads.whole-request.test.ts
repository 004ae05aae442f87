// The first PATCH of an upload (a whole file in one request, usually) is hashed with
// node:crypto instead of the saveable hash-wasm state. These show that it stays as safe as
// the chunked path: the digest is checked, and a request cut short leaves the saved state
// for what arrived, so another process continues without re-reading the partial file.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { uploadIdFromUrl } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUploadBed, errorOf, sha256Of, startUploadApp, tokenFor, tusMetadata, type UploadApp, type UploadBed } from './support/upload-harness.ts';

let bed: UploadBed;

beforeAll(async () => {
  bed = await createUploadBed('uploads-whole');
});

afterAll(async () => {
  await bed?.close();
});

const headers = () => ({ 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${tokenFor(bed.user.id)}` });

async function createFor(app: UploadApp, data: Buffer, sha256 = sha256Of(data)): Promise<string> {
  const response = await fetch(app.endpoint, {
    method: 'POST',
    headers: {
      ...headers(),
      'Upload-Length': String(data.length),
      'Upload-Metadata': tusMetadata({ sha256, filename: 'clip.mov', filetype: 'video/quicktime' }),
    },
  });
  expect(response.status).toBe(201);
  return new URL(response.headers.get('location')!, app.url).toString();
}

function patch(url: string, offset: number, bytes: Buffer): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...headers(), 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });
}

async function headOffset(url: string): Promise<number> {
  const response = await fetch(url, { method: 'HEAD', headers: headers() });
  return Number(response.headers.get('upload-offset'));
}

const uploadRow = (url: string) => bed.prisma.upload.findUniqueOrThrow({ where: { id: uploadIdFromUrl(url) } });

describe('a whole upload in one request', () => {
  it('is stored under its SHA-256, and refused with CHECKSUM_MISMATCH when the declared one differs', async () => {
    const app = await startUploadApp(bed.appOptions);
    try {
      const data = randomBytes(3 * 1024 * 1024 + 5);
      const url = await createFor(app, data);
      expect((await patch(url, 0, data)).status).toBe(204);
      expect(await uploadRow(url)).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });

      const other = randomBytes(1024 * 1024);
      const wrong = await createFor(
        app,
        other,
        sha256Of(data).replace(/^./, (c) => (c === '0' ? '1' : '0')),
      );
      const refused = await patch(wrong, 0, other);
      expect(refused.status).toBe(460);
      expect((await errorOf(refused)).code).toBe('CHECKSUM_MISMATCH');
      expect(await bed.blobStore.has(sha256Of(other))).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('cut short, leaves the hash state of what arrived, and another process finishes from it without re-reading the file', async () => {
    const first = await startUploadApp(bed.appOptions);
    const data = randomBytes(2 * 1024 * 1024);
    const url = await createFor(first, data);
    const id = uploadIdFromUrl(url);
    const request = http.request(url, {
      method: 'PATCH',
      headers: { ...headers(), 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream', 'Content-Length': String(data.length) },
    });
    request.on('error', () => {});
    request.write(data.subarray(0, 900 * 1024));
    await delay(400);
    request.destroy();
    let offset = 0;
    let saved: Buffer | null = null;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await delay(100)) {
      offset = await headOffset(url);
      saved = await readFile(path.join(bed.uploadDir, `${id}.sha256`)).catch(() => null);
      if (offset > 0 && saved && Number(saved.readBigUInt64BE(0)) === offset) break;
    }
    expect(offset).toBeGreaterThan(0);
    expect(saved && Number(saved.readBigUInt64BE(0))).toBe(offset);
    await first.close();

    // Blank what arrived: a process that re-read it would now compute another digest.
    await writeFile(path.join(bed.uploadDir, id), Buffer.alloc(offset));
    const second = await startUploadApp(bed.appOptions);
    try {
      const response = await patch(url.replace(first.url, second.url), offset, data.subarray(offset));
      expect(response.status).toBe(204);
      expect(await uploadRow(url)).toMatchObject({ status: 'complete', blobSha256: sha256Of(data) });
    } finally {
      await second.close();
    }
  });
});
