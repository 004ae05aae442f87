import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { constants } from 'node:fs';
import { access, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { blobKey, blobNotFound, type BlobStore } from '../../ports/blob-store.ts';

/**
 * Content-addressed blobs on local disk: `<root>/ab/cd/<sha256>`. A blob appears
 * under its final name only by an atomic rename of a file whose bytes were fsynced,
 * and the directory is fsynced after the rename, so a crash leaves either the whole
 * blob or nothing.
 */
export class DiskBlobStore implements BlobStore {
  /** Staging area for copies from another filesystem; same filesystem as the blobs so rename stays atomic. */
  private readonly incomingDir: string;

  constructor(private readonly root: string) {
    this.incomingDir = path.join(root, '.incoming');
  }

  private pathOf(sha256: string): string {
    return path.join(this.root, ...blobKey(sha256).split('/'));
  }

  /** Blobs are immutable once stored, so readers may open them in place (never write them). */
  localPath(sha256: string): string {
    return this.pathOf(sha256);
  }

  async putFile(localPath: string, sha256: string, size: number): Promise<{ storageKey: string; existed: boolean }> {
    const storageKey = blobKey(sha256);
    const target = this.pathOf(sha256);
    const actual = (await stat(localPath)).size;
    if (actual !== size) throw new Error(`Refusing to store ${localPath}: ${actual} bytes on disk, ${size} expected`);
    if (await this.has(sha256)) {
      await rm(localPath, { force: true });
      return { storageKey, existed: true };
    }
    await fsyncPath(localPath, 'r+');
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(localPath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await this.copyIn(localPath, target);
      await rm(localPath, { force: true });
    }
    await fsyncPath(path.dirname(target), 'r');
    return { storageKey, existed: false };
  }

  /** The source lives on another filesystem: copy next to the target, fsync, then rename. */
  private async copyIn(localPath: string, target: string): Promise<void> {
    await mkdir(this.incomingDir, { recursive: true });
    const temp = path.join(this.incomingDir, `${path.basename(target)}.${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(createReadStream(localPath), createWriteStream(temp, { flags: 'wx' }));
      await fsyncPath(temp, 'r+');
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async checkReady(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw new Error(
        `The blob folder ${this.root} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check STOCKROOM_DATA_DIR and its permissions.`,
      );
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.stat(sha256)) !== null;
  }

  async stat(sha256: string): Promise<{ size: number } | null> {
    try {
      const info = await stat(this.pathOf(sha256));
      return { size: info.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async createReadStream(sha256: string, range?: { start: number; end: number }): Promise<NodeJS.ReadableStream> {
    let handle;
    try {
      handle = await open(this.pathOf(sha256), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw blobNotFound(sha256);
      throw error;
    }
    // The stream owns the handle from here on and closes it on end, error or destroy.
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}

async function fsyncPath(target: string, flags: 'r' | 'r+'): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
