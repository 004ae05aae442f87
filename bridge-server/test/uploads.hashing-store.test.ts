// The tus file store's running SHA-256, with hashers reused between requests: uploads whose
// chunks interleave in one process each get their own digest, whatever hasher served them.
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { afterAll, expect, it } from 'vitest';
import { HashingFileStore } from '../src/uploads/hashing-file-store.ts';
import { makeTempDir } from './support/temp-dir.ts';

const dir = makeTempDir('hashing-store');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('gives interleaved uploads their own SHA-256 while the hashers are reused between requests', async () => {
  const completed = new Map<string, string>();
  const store = new HashingFileStore({
    directory: dir,
    expirationPeriodInMilliseconds: 60_000,
    onComplete: async (id, sha256) => {
      completed.set(id, sha256);
    },
    finishedSize: async () => null,
  });
  const chunk = 100_000;
  // The third starts a round later: its first chunk gets the hasher another upload's chunk just used.
  const files = ['a', 'b', 'c'].map((id, i) => ({ id, data: randomBytes(chunk * 5 + i * 777), startRound: i === 2 ? 1 : 0 }));
  for (const { id, data } of files) await store.create(new Upload({ id, size: data.length, offset: 0 }));
  for (let round = 0; completed.size < files.length; round++) {
    for (const { id, data, startRound } of files) {
      const offset = (round - startRound) * chunk;
      if (offset >= 0 && offset < data.length) await store.write(Readable.from([data.subarray(offset, offset + chunk)]), id, offset);
    }
  }
  expect(Object.fromEntries(completed)).toEqual(Object.fromEntries(files.map(({ id, data }) => [id, createHash('sha256').update(data).digest('hex')])));
  // The digest of what is on disk (the path a crash between write and save takes) agrees too.
  expect(await store.digest('b', files[1]!.data.length)).toBe(completed.get('b'));
});
