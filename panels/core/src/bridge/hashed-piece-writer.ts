import type { IncrementalSha256 } from '@stockroom/bridge-client';
import type { CacheFileWriter } from '../host/types.ts';

/**
 * Appends a download's pieces to its partial file while keeping its SHA-256 in step with
 * what is on disk, with the three costs overlapping instead of taking turns: bytes are
 * hashed as they arrive (a few KiB at a time, so the network keeps flowing between
 * updates instead of stalling for a whole piece), and a piece is written (the host's fs
 * works off the JavaScript thread) while the next one arrives. At most one write runs.
 *
 * The hash may run ahead of the disk by the piece being written and the one filling.
 * When a write fails, every later append fails with it, and settle() takes the hash back
 * to before the failed piece, so a retry resumes with the file and the hash agreeing.
 */
export interface HashedPieceWriter {
  /** Bytes as they arrive, hashed now; they must then reach append() in the same order. */
  hash(bytes: Uint8Array): void;
  /**
   * Starts writing a piece (hashed already through hash(), or now when `hashed` is false).
   * Resolves when the write before it has finished, so the buffer of that one is free.
   */
  append(piece: Uint8Array, hashed: boolean): Promise<void>;
  /** Waits for the last write; throws its error after taking the hash back to before its piece. */
  settle(): Promise<void>;
}

export function hashedPieceWriter(writer: CacheFileWriter, hash: IncrementalSha256, onWritten: () => void): HashedPieceWriter {
  let writing: Promise<void> = Promise.resolve();
  let failure: { error: unknown; restore: () => void } | null = null;
  // The hash state before the bytes that are not on disk yet.
  let pieceStart = hash.mark();
  return {
    hash: (bytes) => hash.update(bytes),
    async append(piece, hashed) {
      await writing;
      if (failure) throw failure.error;
      if (!hashed) hash.update(piece);
      const restore = pieceStart;
      pieceStart = hash.mark();
      writing = writer.append(piece).then(onWritten, (error: unknown) => {
        failure = { error, restore };
      });
    },
    async settle() {
      await writing;
      if (!failure) return;
      const { error, restore } = failure;
      failure = null;
      restore();
      pieceStart = hash.mark();
      throw error;
    },
  };
}
