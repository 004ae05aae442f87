// One local copy per original in a worker process, over a real blob store on disk that is
// made to look remote (no localPath), so every copy is a read through the store.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskBlobStore } from '../../src/adapters/blob-store/disk.ts';
import { createLogger } from '../../src/logger.ts';
import type { BlobStore } from '../../src/ports/blob-store.ts';
import { LocalOriginals } from '../../src/worker/local-originals.ts';
import { makeTempDir } from '../support/temp-dir.ts';

let root: string;
let disk: DiskBlobStore;
let workDir: string;
let reads: string[];
const logger = createLogger('silent');

/** The disk store seen through the port without `localPath`, counting whole-blob reads. */
function remote(): BlobStore {
  return {
    putFile: (file, sha256, size) => disk.putFile(file, sha256, size),
    has: (sha256) => disk.has(sha256),
    stat: (sha256) => disk.stat(sha256),
    delete: (sha256) => disk.delete(sha256),
    createReadStream: (sha256, range) => {
      reads.push(sha256);
      return disk.createReadStream(sha256, range);
    },
  };
}

async function store(data: Buffer): Promise<string> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const file = path.join(root, `in-${sha256}`);
  writeFileSync(file, data);
  await disk.putFile(file, sha256, data.length);
  return sha256;
}

async function until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

const scratch = () => readdirSync(workDir).filter((name) => name.startsWith('job-'));

beforeEach(() => {
  root = makeTempDir('local-originals');
  disk = new DiskBlobStore(path.join(root, 'blobs'));
  workDir = path.join(root, 'work');
  reads = [];
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('local copies of originals in a worker', () => {
  it('fetches an original once for jobs that need it at the same time and for one that comes soon after', async () => {
    const data = randomBytes(300_000);
    const sha256 = await store(data);
    const originals = new LocalOriginals(remote(), workDir, { ms: 60_000, bytes: 10_000_000 }, logger);
    const [a, b] = await Promise.all([originals.acquire(sha256, 'Take 1.MOV'), originals.acquire(sha256, 'take.mov')]);
    expect(a.path).toBe(b.path);
    expect(path.basename(a.path)).toBe('source.mov');
    expect(readFileSync(a.path).equals(data)).toBe(true);
    await a.release();
    await b.release();
    // Kept for the version's other job.
    const c = await originals.acquire(sha256, 'take.mov');
    expect(c.path).toBe(a.path);
    expect(reads).toEqual([sha256]);
    await c.release();
    // Stopping removes what no job uses.
    await originals.stop();
    expect(scratch()).toEqual([]);
  });

  it('keeps a released copy no longer than its time, and none beyond its byte budget', async () => {
    const small = await store(randomBytes(1000));
    const large = await store(randomBytes(5000));
    const originals = new LocalOriginals(remote(), workDir, { ms: 200, bytes: 4000 }, logger);
    const first = await originals.acquire(small, 'a.jpg');
    await first.release();
    expect(existsSync(first.path)).toBe(true);
    await until('the kept copy to expire', () => !existsSync(path.dirname(first.path)));
    const again = await originals.acquire(small, 'a.jpg');
    expect(reads).toEqual([small, small]);
    // Larger than the budget: removed as soon as its last job is done with it.
    const big = await originals.acquire(large, 'b.jpg');
    await big.release();
    expect(existsSync(path.dirname(big.path))).toBe(false);
    // A copy in use is never removed, however full the budget.
    expect(existsSync(again.path)).toBe(true);
    await originals.stop();
    expect(existsSync(again.path)).toBe(true);
    await again.release();
    expect(scratch()).toEqual([]);
  });

  it('leaves nothing behind when the fetch fails, and fetches again on the next attempt', async () => {
    const data = randomBytes(2000);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const originals = new LocalOriginals(remote(), workDir, { ms: 60_000, bytes: 10_000_000 }, logger);
    const failed = await Promise.allSettled([originals.acquire(sha256, 'x.png'), originals.acquire(sha256, 'x.png')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((failed[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'NOT_FOUND' });
    expect(scratch()).toEqual([]);
    await store(data);
    const copy = await originals.acquire(sha256, 'x.png');
    expect(readFileSync(copy.path).equals(data)).toBe(true);
    expect(reads).toEqual([sha256, sha256]);
    await copy.release();
    await originals.stop();
  });

  it('fetches again when a kept copy was removed from the scratch folder by hand', async () => {
    const sha256 = await store(randomBytes(2000));
    const originals = new LocalOriginals(remote(), workDir, { ms: 60_000, bytes: 10_000_000 }, logger);
    const first = await originals.acquire(sha256, 'x.tif');
    await first.release();
    rmSync(path.dirname(first.path), { recursive: true });
    const second = await originals.acquire(sha256, 'x.tif');
    expect(existsSync(second.path)).toBe(true);
    expect(reads).toEqual([sha256, sha256]);
    await second.release();
    await originals.stop();
  });

  it('reads a blob store on this disk in place: no copy at all', async () => {
    const sha256 = await store(randomBytes(2000));
    const counted = remote();
    const originals = new LocalOriginals({ ...counted, localPath: (sha) => disk.localPath(sha) }, workDir, { ms: 60_000, bytes: 10_000_000 }, logger);
    const copy = await originals.acquire(sha256, 'x.jpg');
    expect(copy.path).toBe(disk.localPath(sha256));
    await copy.release();
    expect(reads).toEqual([]);
    expect(existsSync(workDir) ? scratch() : []).toEqual([]);
    expect(existsSync(disk.localPath(sha256))).toBe(true);
  });
});
