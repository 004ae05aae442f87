/**
 * Node-only helpers (file paths, node:crypto, a file-backed resume store). Kept out of
 * the main entry so browser and UXP bundles never pull in Node built-ins.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import * as tus from 'tus-js-client';
import type { UrlStorage } from 'tus-js-client';
import { throwIfAborted } from './upload/abort.ts';
import type { UploadSource } from './upload/source.ts';

const HASH_READ_BYTES = 4 * 1024 * 1024;

/**
 * A file on disk, read by range; hashed with node:crypto from the reads that send it
 * (constant memory). Its identity (path, size, modification time) finds an upload of it
 * to resume without reading it first.
 */
export async function fileSource(path: string, options: { name?: string; type?: string } = {}): Promise<UploadSource> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error(`${path} is not a file`);
  let handle: FileHandle | undefined;
  const streams = new Set<ReadStream>();
  return {
    size: info.size,
    name: options.name ?? basename(path),
    type: options.type,
    identity: `${path}:${info.size}:${info.mtimeMs}:${info.ino}`,
    // Hashed from the bytes it sends, an upload would store a file saved halfway through
    // faithfully: declaring its SHA-256 waits for this check instead.
    async checkUnchanged() {
      const now = await stat(path);
      if (now.size !== info.size || now.mtimeMs !== info.mtimeMs) throw new Error(`${path} changed while it was being uploaded`);
    },
    createSha256() {
      const hash = createHash('sha256');
      return { update: (bytes) => void hash.update(bytes), digestHex: () => hash.digest('hex') };
    },
    async read(start, end) {
      handle ??= await open(path, 'r');
      const buffer = Buffer.allocUnsafe(end - start);
      let filled = 0;
      while (filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, start + filled);
        if (bytesRead === 0) throw new Error(`${path} is shorter than when the upload started`);
        filled += bytesRead;
      }
      return buffer;
    },
    // A request body streamed from the file in 1 MiB reads (the file's bytes go from the
    // page cache to the socket without a copy held per request), instead of a Buffer that
    // tus-js-client's Node stack writes 16 KiB at a time, one event-loop turn each.
    async stream(start, end, tap) {
      handle ??= await open(path, 'r');
      const { size } = await handle.stat();
      if (size < end) throw new Error(`${path} is shorter than when the upload started`);
      const stream = createReadStream(path, { start, end: end - 1, highWaterMark: 1024 * 1024 });
      streams.add(stream);
      stream.once('close', () => streams.delete(stream));
      if (!tap) return stream;
      let position = start;
      const tapped = new Transform({
        // Each chunk is a fresh Buffer from the read stream, so the hash may keep no copy.
        transform(chunk: Buffer, _encoding, callback) {
          tap(position, chunk);
          position += chunk.length;
          callback(null, chunk);
        },
      });
      // A read error fails the body; destroying the read stream (close()) ends both.
      return pipeline(stream, tapped, () => {});
    },
    // Two buffers in turn, the next read running while the last one is hashed: the file is
    // read once more before the upload (the SHA-256 goes in the creating request), so this
    // pass is as short as the hash allows, and allocates nothing per read.
    async sha256(onProgress, signal) {
      const hash = createHash('sha256');
      const file = await open(path, 'r');
      const buffers = [Buffer.allocUnsafe(HASH_READ_BYTES), Buffer.allocUnsafe(HASH_READ_BYTES)] as const;
      let reading: Promise<{ bytesRead: number; buffer: Buffer }> | undefined;
      let hashed = 0;
      try {
        reading = file.read(buffers[0], 0, HASH_READ_BYTES, 0);
        for (let turn = 1; ; turn ^= 1) {
          const { bytesRead, buffer } = await reading;
          if (bytesRead === 0) break;
          hashed += bytesRead;
          reading = file.read(buffers[turn]!, 0, HASH_READ_BYTES, hashed);
          hash.update(buffer.subarray(0, bytesRead));
          onProgress?.(hashed);
          // Reject with the caller's abort reason, as the browser path does.
          throwIfAborted(signal);
        }
      } finally {
        await reading?.catch(() => {});
        await file.close();
      }
      if (hashed !== info.size) throw new Error(`${path} changed while it was being hashed`);
      return hash.digest('hex');
    },
    async close() {
      // Bodies of requests that were aborted are not read to their end.
      for (const stream of streams) stream.destroy();
      streams.clear();
      await handle?.close();
      handle = undefined;
    },
  };
}

/** Bytes already in memory; hashed with node:crypto. */
export function bufferSource(bytes: Uint8Array, options: { name?: string; type?: string } = {}): UploadSource {
  return {
    size: bytes.byteLength,
    name: options.name,
    type: options.type,
    read: (start, end) => Promise.resolve(bytes.subarray(start, end)),
    sha256: (onProgress) => {
      const digest = createHash('sha256').update(bytes).digest('hex');
      onProgress?.(bytes.byteLength);
      return Promise.resolve(digest);
    },
  };
}

/** SHA-256 (hex) of a file, streaming. */
export async function sha256File(path: string): Promise<string> {
  const source = await fileSource(path);
  return source.sha256!();
}

/**
 * Remembers upload URLs in a JSON file, so an upload() after the process restarted
 * resumes at the server's offset. This is tus-js-client's own file store (with file
 * locking); its type declarations omit it, hence the cast.
 */
export function fileUrlStorage(path: string): UrlStorage {
  const { FileUrlStorage } = tus as unknown as { FileUrlStorage: new (path: string) => UrlStorage };
  return new FileUrlStorage(path);
}
