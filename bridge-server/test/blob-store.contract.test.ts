// One contract, every BlobStore: local disk, s3rver on loopback, and a real S3
// server (Ceph's RADOS Gateway, started for the test run; see support/test-s3-server.ts).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskBlobStore } from '../src/adapters/blob-store/disk.ts';
import { createS3BlobStore } from '../src/adapters/blob-store/s3.ts';
import type { BlobStore } from '../src/ports/blob-store.ts';
import { testS3Settings } from './support/test-s3.ts';

interface Subject {
  store: BlobStore;
  stop(): Promise<void>;
}

const subjects: Record<string, () => Promise<Subject>> = {
  disk: async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'blobs-disk-'));
    return { store: new DiskBlobStore(root), stop: () => rm(root, { recursive: true, force: true }) };
  },
  s3rver: async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'blobs-s3rver-'));
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'contract' }] });
    const { port } = await server.run();
    const store = createS3BlobStore({
      endpoint: `http://127.0.0.1:${port}`,
      bucket: 'contract',
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      region: 'us-east-1',
      prefix: 'blobs/',
    });
    return {
      store,
      stop: async () => {
        await server.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  },
};

// A real S3 server: Ceph's RADOS Gateway on loopback (or whatever S3_ENDPOINT names).
// Parts of 5 MiB (S3's minimum) above 6 MiB, so objects larger than a part go multipart.
const PART_SIZE = 5 * 1024 * 1024;
subjects.ceph = async () => {
  const settings = await testS3Settings({ bucketPrefix: 'contract' });
  const store = createS3BlobStore({ ...settings, prefix: 'blobs/', partSize: PART_SIZE, multipartAbove: 6 * 1024 * 1024 });
  await store.ensureBucket(settings.region);
  return { store, stop: async () => {} };
};

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

describe.each(Object.keys(subjects))('BlobStore contract: %s', (name) => {
  let subject: Subject;
  let store: BlobStore;
  let work: string;

  beforeAll(async () => {
    subject = await subjects[name]!();
    store = subject.store;
    work = await mkdtemp(path.join(os.tmpdir(), 'blobs-src-'));
  });
  afterAll(async () => {
    await subject?.stop();
    await rm(work, { recursive: true, force: true });
  });

  async function localFile(data: Buffer): Promise<string> {
    const file = path.join(work, randomBytes(8).toString('hex'));
    await writeFile(file, data);
    return file;
  }

  it('stores a file under its SHA-256, removes the local file, and reads it back', async () => {
    // Larger than any stream chunk, so a buffering or truncating store would show.
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const digest = sha256(data);
    const file = await localFile(data);
    expect(await store.has(digest)).toBe(false);

    const result = await store.putFile(file, digest, data.length);

    expect(result.existed).toBe(false);
    expect(result.storageKey).toContain(`${digest.slice(0, 2)}/${digest.slice(2, 4)}/${digest}`);
    expect(existsSync(file)).toBe(false);
    expect(await store.has(digest)).toBe(true);
    expect(await store.stat(digest)).toEqual({ size: data.length });
    const back = await readAll(await store.createReadStream(digest));
    expect(sha256(back)).toBe(digest);
  });

  it('stores identical content once: a second put is a no-op that removes the local copy', async () => {
    const data = Buffer.from(`same bytes ${name}`);
    const digest = sha256(data);
    const first = await store.putFile(await localFile(data), digest, data.length);
    const secondPath = await localFile(data);
    const second = await store.putFile(secondPath, digest, data.length);
    expect(first.existed).toBe(false);
    expect(second).toEqual({ storageKey: first.storageKey, existed: true });
    expect(existsSync(secondPath)).toBe(false);
    expect(await text(await store.createReadStream(digest))).toBe(`same bytes ${name}`);
  });

  it('reads inclusive byte ranges', async () => {
    const data = Buffer.from('0123456789abcdefghij');
    const digest = sha256(data);
    await store.putFile(await localFile(data), digest, data.length);
    // s3rver reads `bytes=0-0` as `bytes=0-` (it treats an end of 0 as absent); real S3 and MinIO do not.
    if (name !== 's3rver') expect(await text(await store.createReadStream(digest, { start: 0, end: 0 }))).toBe('0');
    expect(await text(await store.createReadStream(digest, { start: 0, end: 3 }))).toBe('0123');
    expect(await text(await store.createReadStream(digest, { start: 5, end: 9 }))).toBe('56789');
    expect(await text(await store.createReadStream(digest, { start: 15, end: 19 }))).toBe('fghij');
  });

  it('stores an empty file', async () => {
    const data = Buffer.alloc(0);
    const digest = sha256(data);
    await store.putFile(await localFile(data), digest, 0);
    expect(await store.stat(digest)).toEqual({ size: 0 });
    expect((await readAll(await store.createReadStream(digest))).length).toBe(0);
  });

  it('refuses a file whose size is not the declared one, storing nothing', async () => {
    const data = Buffer.from('short');
    const digest = sha256(data);
    await expect(store.putFile(await localFile(data), digest, data.length + 1)).rejects.toThrow(/expected/);
    expect(await store.has(digest)).toBe(false);
  });

  it('refuses anything but a hex SHA-256 as a key', async () => {
    const file = await localFile(Buffer.from('x'));
    await expect(store.putFile(file, '../../etc/passwd', 1)).rejects.toThrow(/SHA-256/);
    await expect(store.has('ABC')).rejects.toThrow(/SHA-256/);
  });

  it('answers absent content: has false, stat null, read NOT_FOUND, delete is idempotent', async () => {
    const digest = sha256(randomBytes(32));
    expect(await store.has(digest)).toBe(false);
    expect(await store.stat(digest)).toBeNull();
    await expect(store.createReadStream(digest)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(store.delete(digest)).resolves.toBeUndefined();
  });

  it('stores and reads back an object larger than the S3 client part size (multipart there)', async () => {
    const data = randomBytes(2 * PART_SIZE + 12345);
    const digest = sha256(data);
    const file = await localFile(data);
    expect((await store.putFile(file, digest, data.length)).existed).toBe(false);
    expect(await store.stat(digest)).toEqual({ size: data.length });
    expect(sha256(await readAll(await store.createReadStream(digest)))).toBe(digest);
    // A range across the first part boundary.
    const range = { start: PART_SIZE - 10, end: PART_SIZE + 9 };
    expect(await readAll(await store.createReadStream(digest, range))).toEqual(data.subarray(range.start, range.end + 1));
  });

  it('reports itself ready', async () => {
    await expect(store.checkReady?.() ?? Promise.resolve()).resolves.toBeUndefined();
  });

  it('deletes', async () => {
    const data = randomBytes(100);
    const digest = sha256(data);
    await store.putFile(await localFile(data), digest, data.length);
    await store.delete(digest);
    expect(await store.has(digest)).toBe(false);
  });
});

describe('DiskBlobStore layout', () => {
  it('keeps blobs at <root>/ab/cd/<sha256> and leaves no temporary files behind', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'blobs-layout-'));
    const src = await mkdtemp(path.join(os.tmpdir(), 'blobs-layout-src-'));
    try {
      const store = new DiskBlobStore(root);
      const data = randomBytes(1000);
      const digest = sha256(data);
      const file = path.join(src, 'upload');
      await writeFile(file, data);
      await store.putFile(file, digest, data.length);
      expect(existsSync(path.join(root, digest.slice(0, 2), digest.slice(2, 4), digest))).toBe(true);
      expect(await readdir(root)).toEqual([digest.slice(0, 2)]);
    } finally {
      await rm(root, { recursive: true, force: true });
      await rm(src, { recursive: true, force: true });
    }
  });
});

describe('S3BlobStore bucket at start (Ceph)', () => {
  it('creates a missing bucket, so the first upload can be stored', async () => {
    const settings = await testS3Settings({ bucketPrefix: 'fresh' });
    const store = createS3BlobStore(settings);
    await expect(store.checkReady()).rejects.toThrow(new RegExp(`"${settings.bucket}" does not exist`));
    await store.ensureBucket(settings.region);
    await store.ensureBucket(settings.region);
    await expect(store.checkReady()).resolves.toBeUndefined();
    const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'blobs-fresh-')), 'f');
    await writeFile(file, 'first');
    await store.putFile(file, sha256(Buffer.from('first')), 5);
    expect(await store.has(sha256(Buffer.from('first')))).toBe(true);
  });

  it('fails with a sentence naming the settings when the keys are wrong', async () => {
    const settings = await testS3Settings({ bucketPrefix: 'denied' });
    const store = createS3BlobStore({ ...settings, secretKey: 'not-the-secret' });
    await expect(store.ensureBucket(settings.region)).rejects.toThrow(
      /could not be found or created .*Check S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY and S3_SECRET_KEY/,
    );
  });
});
