import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferSource, fileSource } from '../../src/node.ts';
import { hashSource } from '../../src/upload/sha256.ts';
import { blobSource, bytesSource, chunkBytes, toUploadSource } from '../../src/upload/source.ts';
import { MemoryUrlStorage } from '../../src/upload/url-storage.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'bridge-client-sources-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 3 MiB + 17 bytes: not a multiple of any chunk size used below.
const bytes = randomBytes(3 * 1024 * 1024 + 17);
const expected = createHash('sha256').update(bytes).digest('hex');

describe('SHA-256 of upload sources', () => {
  it('hashes a Blob incrementally with @noble/hashes, reporting progress to the end', async () => {
    const progress: number[] = [];
    const digest = await hashSource(blobSource(new Blob([bytes])), (n) => progress.push(n), undefined, 1024 * 1024);
    expect(digest).toBe(expected);
    expect(progress).toEqual([1, 2, 3].map((m) => m * 1024 * 1024).concat(bytes.length));
  });

  it('hashes raw bytes the same way', async () => {
    expect(await hashSource(bytesSource(new Uint8Array(bytes)), undefined, undefined, 700_000)).toBe(expected);
    expect(await hashSource(bytesSource(new Uint8Array(0)))).toBe(createHash('sha256').digest('hex'));
  });

  it('hashes a file path with node:crypto, streaming', async () => {
    const file = path.join(dir, 'a.bin');
    writeFileSync(file, bytes);
    const source = await fileSource(file);
    let last = 0;
    expect(await hashSource(source, (n) => (last = n))).toBe(expected);
    expect(last).toBe(bytes.length);
    expect(source.name).toBe('a.bin');
    expect(source.size).toBe(bytes.length);
    await source.close?.();
  });

  it('hashes a Buffer with node:crypto', async () => {
    expect(await hashSource(bufferSource(bytes))).toBe(expected);
  });

  it('stops hashing when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(hashSource(blobSource(new Blob([bytes])), undefined, controller.signal)).rejects.toThrow('stop');
  });
});

describe('reading ranges', () => {
  it('a file source returns exactly the requested bytes', async () => {
    const file = path.join(dir, 'b.bin');
    writeFileSync(file, bytes);
    const source = await fileSource(file);
    const middle = await chunkBytes(await source.read(1_000_000, 2_500_000));
    expect(Buffer.from(middle).equals(bytes.subarray(1_000_000, 2_500_000))).toBe(true);
    const tail = await chunkBytes(await source.read(bytes.length - 5, bytes.length));
    expect(Buffer.from(tail).equals(bytes.subarray(bytes.length - 5))).toBe(true);
    await source.close?.();
  });

  it('a Blob source keeps the File name and type', () => {
    const source = toUploadSource(new File([bytes.subarray(0, 10)], 'logo.svg', { type: 'image/svg+xml' }));
    expect(source).toMatchObject({ size: 10, name: 'logo.svg', type: 'image/svg+xml' });
  });

  it('refuses what it cannot read', () => {
    expect(() => toUploadSource('a/path' as never)).toThrow(TypeError);
  });
});

describe('MemoryUrlStorage', () => {
  it('finds uploads by fingerprint and forgets removed ones', async () => {
    const storage = new MemoryUrlStorage();
    const entry = { size: 5, metadata: {}, creationTime: new Date().toISOString(), uploadUrl: 'http://h/u/1', parallelUploadUrls: null, urlStorageKey: '' };
    const key = await storage.addUpload('fp-a', entry);
    await storage.addUpload('fp-b', { ...entry, uploadUrl: 'http://h/u/2' });
    expect((await storage.findUploadsByFingerprint('fp-a')).map((u) => u.uploadUrl)).toEqual(['http://h/u/1']);
    expect(await storage.findAllUploads()).toHaveLength(2);
    await storage.removeUpload(key);
    expect(await storage.findUploadsByFingerprint('fp-a')).toEqual([]);
  });
});
