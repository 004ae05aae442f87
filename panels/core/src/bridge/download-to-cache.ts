import { createIncrementalSha256, type Sha256Engine } from '@stockroom/bridge-client';
import { StockroomError } from '@stockroom/shared-types';
import type { CacheFolder } from '../host/types.ts';
import { hashedPieceWriter, type HashedPieceWriter } from './hashed-piece-writer.ts';

/**
 * Bytes per write (and per request where the host's fetch cannot stream). Two pieces are
 * held at once (one writing, one filling): 8 MiB in all, as much as one 8 MiB piece before.
 */
export const DOWNLOAD_PIECE_BYTES = 4 * 1024 * 1024;
const MAX_ATTEMPTS_PER_PIECE = 8;

export interface DownloadTarget {
  assetId: string;
  version: number;
  /** The cached file's name (the version's original name, or a derived one for a proxy). */
  fileName: string;
  /** Path of the bytes relative to the server (a version's or a derivative's contentUrl). */
  contentUrl: string;
  size: number;
  /** Checked after the last byte when known. */
  sha256?: string | null;
}

export interface DownloadOptions {
  serverUrl: string;
  token: string;
  onProgress?: (received: number, total: number) => void;
  pieceBytes?: number;
  fetch?: typeof fetch;
  /** Waits between attempts after a dropped request (tests pass a shorter one). */
  retryDelayMs?: (attempt: number) => number;
  /** Forces the pure-JavaScript SHA-256 (tests of the fallback); by default WebAssembly is used where the host has it. */
  sha256Engine?: Sha256Engine;
}

/**
 * The local path of a file, downloading it into the cache when it is not there yet.
 * With a host that can write in pieces, the body streams to disk a piece at a time (a
 * 10 GB original never sits in memory; where the host's fetch has no streaming body, as
 * in some UXP versions, one Range request per piece), and a dropped connection resumes
 * with a Range request at the bytes already on disk, also after a restart of the panel.
 */
export async function downloadToCache(cache: CacheFolder, target: DownloadTarget, options: DownloadOptions): Promise<string> {
  if (await cache.has(target.assetId, target.version, target.fileName)) {
    return cache.pathFor(target.assetId, target.version, target.fileName);
  }
  const hash = await createIncrementalSha256(options.sha256Engine ? { prefer: options.sha256Engine } : {});
  if (!cache.open) {
    const bytes = await fetchRange(target, options, 0, target.size);
    if (target.sha256) hash.update(bytes);
    await verify(target, bytes.byteLength, target.sha256 ? hash.digestHex() : null);
    return cache.write(target.assetId, target.version, target.fileName, bytes);
  }
  const writer = await cache.open(target.assetId, target.version, target.fileName);
  let committed = false;
  try {
    if (writer.size > target.size) {
      await writer.discard();
      return downloadToCache(cache, target, options);
    }
    const piece = options.pieceBytes ?? DOWNLOAD_PIECE_BYTES;
    // Bytes left by an interrupted download count towards the hash as they are.
    for (let offset = 0; offset < writer.size; offset += piece) hash.update(await writer.read(offset, Math.min(offset + piece, writer.size)));
    options.onProgress?.(writer.size, target.size);
    const pieces = hashedPieceWriter(writer, hash, () => options.onProgress?.(writer.size, target.size));
    let streaming = true;
    for (let attempt = 0; writer.size < target.size; ) {
      if (!streaming) {
        // No streaming body (UXP's fetch on some hosts): ranged requests, one piece each.
        await pieces.append(await fetchRange(target, options, writer.size, Math.min(writer.size + piece, target.size)), false);
        await pieces.settle();
        continue;
      }
      const before = writer.size;
      streaming = await streamFrom(target, options, before, piece, pieces)
        .then(async (result) => {
          await pieces.settle();
          return result;
        })
        .catch(async (error: unknown) => {
          // What reached the disk counts; a failed write is retried like a drop.
          await pieces.settle().catch(() => {});
          if ((error as { final?: boolean }).final) throw error;
          if (writer.size > before) attempt = 0; // progress was made: the drop gets fresh attempts
          if (++attempt >= MAX_ATTEMPTS_PER_PIECE) throw dropped(target, error);
          await pause(options, attempt);
          return true;
        });
    }
    const digest = hash.digestHex();
    if (target.sha256 && digest !== target.sha256) {
      await writer.discard();
      committed = true;
      await verify(target, writer.size, digest);
    }
    committed = true;
    return await writer.commit();
  } finally {
    if (!committed) await writer.close().catch(() => {});
  }
}

async function verify(target: DownloadTarget, size: number, digest: string | null): Promise<void> {
  if (size !== target.size) {
    throw new StockroomError('CHECKSUM_MISMATCH', `Downloaded ${size} of ${target.size} bytes of ${target.fileName}. Try again.`);
  }
  if (target.sha256 && digest && digest !== target.sha256) {
    throw new StockroomError('CHECKSUM_MISMATCH', `The download of ${target.fileName} arrived damaged (its checksum differs). Try again.`);
  }
}

/**
 * Streams the rest of the file from `start` in one request (Range when resuming), handing
 * it on in pieces of `piece` bytes. False when the fetch gives no readable body (then the
 * caller asks for ranged pieces instead); throws when the stream breaks off, after handing
 * on every whole byte that arrived, so the next attempt resumes right there.
 */
async function streamFrom(target: DownloadTarget, options: DownloadOptions, start: number, piece: number, pieces: HashedPieceWriter): Promise<boolean> {
  const response = await (options.fetch ?? fetch)(contentUrl(target, options), {
    headers: { Authorization: `Bearer ${options.token}`, ...(start > 0 ? { Range: `bytes=${start}-` } : {}) },
  });
  if (response.status === 502 || response.status === 503 || response.status === 504) throw httpError(target, response.status);
  if (!response.ok) throw Object.assign(httpError(target, response.status), { final: true });
  if (start > 0 && response.status !== 206)
    throw Object.assign(
      new StockroomError('INTERNAL', `The server sent all of ${target.fileName} where the rest was asked for; the download cannot resume. Try again.`),
      { final: true },
    );
  const reader = response.body?.getReader?.();
  if (!reader) {
    await response.body?.cancel?.().catch(() => {});
    return false;
  }
  // Two buffers in turn: one is being written while the other fills. append() returns
  // once the write before it has finished, so the buffer it hands back is free again.
  const buffers = [new Uint8Array(piece), new Uint8Array(piece)];
  let buffer = buffers[0]!;
  let filled = 0;
  const flush = async () => {
    if (filled === 0) return;
    await pieces.append(buffer.subarray(0, filled), true);
    buffer = buffer === buffers[0] ? buffers[1]! : buffers[0]!;
    filled = 0;
  };
  let total = start;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (let offset = 0; offset < value.byteLength; ) {
        const take = Math.min(piece - filled, value.byteLength - offset);
        const part = value.subarray(offset, offset + take);
        buffer.set(part, filled);
        pieces.hash(part);
        filled += take;
        offset += take;
        if (filled === piece) await flush();
      }
      total += value.byteLength;
      if (total > target.size)
        throw Object.assign(new StockroomError('CHECKSUM_MISMATCH', `The server sent more than the ${target.size} bytes of ${target.fileName}.`), {
          final: true,
        });
    }
  } finally {
    await flush();
  }
  if (total < target.size) throw new StockroomError('DISCONNECTED', `The download of ${target.fileName} ended early.`);
  return true;
}

function contentUrl(target: DownloadTarget, options: DownloadOptions): string {
  return new URL(target.contentUrl, options.serverUrl.endsWith('/') ? options.serverUrl : `${options.serverUrl}/`).toString();
}

function dropped(target: DownloadTarget, error: unknown): StockroomError {
  return new StockroomError(
    'DISCONNECTED',
    `The download of ${target.fileName} kept breaking off. The part already downloaded is kept; try again.`,
    undefined,
    { cause: error },
  );
}

/** Bytes [start, end) of the file, retrying dropped requests with a growing pause. */
async function fetchRange(target: DownloadTarget, options: DownloadOptions, start: number, end: number): Promise<Uint8Array> {
  const doFetch = options.fetch ?? fetch;
  const url = contentUrl(target, options);
  const whole = start === 0 && end === target.size;
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { Authorization: `Bearer ${options.token}`, ...(whole ? {} : { Range: `bytes=${start}-${end - 1}` }) },
      });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS_PER_PIECE) {
        throw new StockroomError(
          'DISCONNECTED',
          `Could not download ${target.fileName}: the server stayed out of reach. The part already downloaded is kept; try again.`,
          undefined,
          { cause: error },
        );
      }
      await pause(options, attempt);
      continue;
    }
    if (response.status === 502 || response.status === 503 || response.status === 504) {
      if (attempt >= MAX_ATTEMPTS_PER_PIECE) throw httpError(target, response.status);
      await pause(options, attempt);
      continue;
    }
    if (!response.ok) throw httpError(target, response.status);
    if (!whole && response.status !== 206) {
      throw new StockroomError('INTERNAL', `The server sent all of ${target.fileName} where a part was asked for; the download cannot resume. Try again.`);
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS_PER_PIECE) {
        throw new StockroomError(
          'DISCONNECTED',
          `The download of ${target.fileName} kept breaking off. The part already downloaded is kept; try again.`,
          undefined,
          { cause: error },
        );
      }
      await pause(options, attempt);
      continue;
    }
    if (bytes.byteLength !== end - start) {
      if (attempt >= MAX_ATTEMPTS_PER_PIECE)
        throw new StockroomError('CHECKSUM_MISMATCH', `Downloaded ${bytes.byteLength} of ${end - start} bytes of ${target.fileName} at ${start}. Try again.`);
      await pause(options, attempt);
      continue;
    }
    return bytes;
  }
}

function httpError(target: DownloadTarget, status: number): StockroomError {
  const code = status === 404 ? 'NOT_FOUND' : status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'INTERNAL';
  return new StockroomError(code, `Downloading ${target.fileName} failed with HTTP ${status}.`, { status });
}

function pause(options: DownloadOptions, attempt: number): Promise<void> {
  const ms = options.retryDelayMs?.(attempt) ?? Math.min(500 * attempt, 4000);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
