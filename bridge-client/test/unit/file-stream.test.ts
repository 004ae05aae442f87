/** fileSource.stream(): the request body of a file upload in Node, read from disk by range. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource } from '../../src/node.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'bridge-client-file-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = randomBytes(3 * 1024 * 1024 + 99);

async function drain(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('a file source as a request body', () => {
  it('streams exactly the bytes [start, end)', async () => {
    const file = path.join(dir, 'a.bin');
    writeFileSync(file, bytes);
    const source = await fileSource(file);
    expect((await drain((await source.stream!(1_000_001, 2_500_000)) as Readable)).equals(bytes.subarray(1_000_001, 2_500_000))).toBe(true);
    expect((await drain((await source.stream!(0, bytes.length)) as Readable)).equals(bytes)).toBe(true);
    await source.close?.();
  });

  it('refuses a file that got shorter since the upload started, naming it', async () => {
    const file = path.join(dir, 'b.bin');
    writeFileSync(file, bytes);
    const source = await fileSource(file);
    truncateSync(file, 1000);
    await expect(source.stream!(0, bytes.length)).rejects.toThrow(`${file} is shorter than when the upload started`);
    await source.close?.();
  });

  it('close() ends the bodies of requests that were given up', async () => {
    const file = path.join(dir, 'c.bin');
    writeFileSync(file, bytes);
    const source = await fileSource(file);
    const stream = (await source.stream!(0, bytes.length)) as Readable;
    await source.close?.();
    expect(stream.destroyed).toBe(true);
  });

  it('hashing stops with the caller’s abort reason, and the file is not held open', async () => {
    const file = path.join(dir, 'd.bin');
    writeFileSync(file, bytes);
    const source = await fileSource(file);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(source.sha256!(undefined, controller.signal)).rejects.toThrow('stop');
    // A second pass still works (the first closed its handle and left no read behind).
    expect(await source.sha256!()).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
