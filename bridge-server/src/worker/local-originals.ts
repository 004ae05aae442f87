import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../logger.ts';
import type { BlobStore } from '../ports/blob-store.ts';
import { scratchDirIn } from './scratch.ts';

/** How long, and how many bytes of, originals no job uses right now are kept for the next job that needs them. */
export interface KeepOriginals {
  ms: number;
  bytes: number;
}

/** An original's bytes in a local file, for a job's media tools to read (never write); `release` when the job is done with it. */
export interface LocalOriginal {
  path: string;
  release(): Promise<void>;
}

interface Copy {
  sha256: string;
  dir: string;
  /** Settles when the whole blob is on disk: nobody reads a half-written copy. */
  ready: Promise<string>;
  size: number;
  users: number;
  idleSince: number;
}

/**
 * The originals this worker process reads, fetched once each. A new version's metadata job
 * and derivative job start together, a regenerate queues one job per derivative, and a
 * retry comes back to the same bytes: all of them share one copy of the original (one GET
 * from S3), keyed by its SHA-256 (the same bytes whatever version points at them). A copy
 * no job uses any more is kept for `keep.ms`, for the other job of its version, as long as
 * all copies together stay within `keep.bytes`; when they would not, the copy just released
 * goes (not an older one: a backlog's jobs come in the order the older copies were made).
 * A store whose blobs are files on this machine (`localPath`) is read in place: no copy.
 *
 * Each copy has a scratch folder of its own, named like a job's, so the scratch sweep at
 * start removes what a killed worker left.
 */
export class LocalOriginals {
  private readonly copies = new Map<string, Copy>();
  private stopped = false;

  constructor(
    private readonly blobStore: BlobStore,
    private readonly workDir: string,
    private readonly keep: KeepOriginals,
    private readonly logger: Logger,
  ) {}

  /** The original `sha256` as a local file; `originalName` gives the copy its extension (ffmpeg takes it as a hint). */
  async acquire(sha256: string, originalName: string): Promise<LocalOriginal> {
    const inPlace = this.blobStore.localPath?.(sha256);
    if (inPlace && (await stat(inPlace).catch(() => null))?.isFile()) return { path: inPlace, release: async () => {} };
    // Found or started and counted in one synchronous step: no other job can remove it meanwhile.
    const copy = this.copies.get(sha256) ?? this.fetch(sha256, originalName);
    copy.users += 1;
    let file: string;
    try {
      file = await copy.ready;
    } catch (error) {
      copy.users -= 1;
      throw error;
    }
    if (!(await stat(file).catch(() => null))) {
      // Removed behind this worker's back (the scratch folder cleaned by hand): fetched again.
      copy.users -= 1;
      await this.remove(copy);
      return this.acquire(sha256, originalName);
    }
    // A kept copy taken again is in use again: the scratch sweep of a worker starting now leaves it alone.
    const now = new Date();
    await utimes(copy.dir, now, now).catch(() => {});
    let released = false;
    return {
      path: file,
      release: async () => {
        if (released) return;
        released = true;
        await this.release(copy);
      },
    };
  }

  /** Removes every copy no job uses; the ones in use go when their job releases them. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.copies.values()].filter((copy) => copy.users === 0).map((copy) => this.remove(copy)));
  }

  private fetch(sha256: string, originalName: string): Copy {
    const dir = scratchDirIn(this.workDir);
    const extension = path
      .extname(originalName)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '');
    const file = path.join(dir, `source${extension}`);
    const copy: Copy = { sha256, dir, size: 0, users: 0, idleSince: 0, ready: Promise.resolve(file) };
    const started = performance.now();
    copy.ready = (async () => {
      try {
        await mkdir(dir, { recursive: true });
        await pipeline(await this.blobStore.createReadStream(sha256), createWriteStream(file));
        copy.size = (await stat(file)).size;
      } catch (error) {
        await this.remove(copy);
        throw error;
      }
      this.logger.debug({ sha256, size: copy.size, ms: Math.round(performance.now() - started) }, 'original fetched for the jobs of this worker');
      return file;
    })();
    this.copies.set(sha256, copy);
    return copy;
  }

  private async release(copy: Copy): Promise<void> {
    copy.users -= 1;
    if (copy.users > 0) return;
    if (this.stopped || this.keep.ms <= 0 || this.keptBytes() > this.keep.bytes) {
      await this.remove(copy);
      return;
    }
    const idleSince = Date.now();
    copy.idleSince = idleSince;
    setTimeout(() => {
      if (copy.users === 0 && copy.idleSince === idleSince) void this.remove(copy);
    }, this.keep.ms).unref();
  }

  private keptBytes(): number {
    let total = 0;
    for (const copy of this.copies.values()) total += copy.size;
    return total;
  }

  private async remove(copy: Copy): Promise<void> {
    if (this.copies.get(copy.sha256) === copy) this.copies.delete(copy.sha256);
    await rm(copy.dir, { recursive: true, force: true }).catch((error) =>
      this.logger.warn({ err: error, dir: copy.dir }, 'could not remove a copy of an original'),
    );
  }
}
