// SendHash: the SHA-256 of a file taken from the chunks that are sent, whatever order the
// requests bring them in (a fresh upload, a retry of bytes already seen, a resume further on).
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SendHash } from '../../src/upload/send-hash.ts';
import { bytesSource, type UploadSource } from '../../src/upload/source.ts';

const data = randomBytes(9 * 1024 * 1024 + 13);
const expected = createHash('sha256').update(data).digest('hex');

/** A source that counts the bytes read() from it (the reads SendHash makes itself). */
function counted(): { source: UploadSource; read: () => number } {
  const base = bytesSource(data);
  let read = 0;
  return {
    source: {
      ...base,
      read: (start, end) => {
        read += end - start;
        return base.read(start, end);
      },
    },
    read: () => read,
  };
}

/** What a request from `start` to `end` shows the tap, in chunks of `chunk` bytes. */
function send(hash: SendHash, start: number, end: number, chunk = 1024 * 1024): void {
  for (let at = start; at < end; at += chunk) hash.tap(at, data.subarray(at, Math.min(at + chunk, end)));
}

describe('SendHash', () => {
  it('hashes a fresh upload from the sent chunks alone, without reading the file again', async () => {
    const { source, read } = counted();
    const progress: number[] = [];
    const hash = await SendHash.create(source, (n) => progress.push(n));
    send(hash, 0, data.length, 65_536 + 3);
    expect(await hash.digest()).toBe(expected);
    expect(read()).toBe(0);
    expect(progress.at(-1)).toBe(data.length);
  });

  it('takes a retry that repeats bytes it saw (a request cut short, resumed at the server offset)', async () => {
    const { source, read } = counted();
    const hash = await SendHash.create(source);
    send(hash, 0, 5_000_000);
    // The server kept less than was read: the retry starts before the hash's position.
    send(hash, 3_000_000, data.length, 777_777);
    expect(await hash.digest()).toBe(expected);
    expect(read()).toBe(0);
  });

  it('reads from the file what was sent by an earlier call (a resumed upload), and nothing more than the gap needs', async () => {
    const { source, read } = counted();
    const hash = await SendHash.create(source);
    const resumeAt = 6 * 1024 * 1024 + 5;
    send(hash, resumeAt, data.length);
    expect(await hash.digest()).toBe(expected);
    // The gap at least; never the file twice.
    expect(read()).toBeGreaterThanOrEqual(resumeAt);
    expect(read()).toBeLessThanOrEqual(data.length);
  });

  it('fails rather than declare a digest of fewer bytes than the file has', async () => {
    const short: UploadSource = { ...bytesSource(data), read: (start, end) => Promise.resolve(data.subarray(start, Math.min(end, start + 10))) };
    const hash = await SendHash.create(short);
    send(hash, 0, 1000);
    await expect(hash.digest()).rejects.toThrow(/changed/);
  });
});
