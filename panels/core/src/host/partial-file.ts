import type { CacheFileWriter } from './types.ts';

/** The calls of UXP's `fs` module (Node-like, promise form) a streamed download needs. */
export interface PieceWriteFs {
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  open(path: string, flag: string): Promise<number>;
  read(fd: number, buffer: ArrayBuffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  write(fd: number, buffer: ArrayBuffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  close(fd: number): Promise<unknown>;
  lstat(path: string): Promise<{ size: number }>;
  rename(from: string, to: string): Promise<unknown>;
  unlink(path: string): Promise<unknown>;
}

/**
 * A download in progress at `<finalPath>.part`: bytes are written at the end of what is
 * there (so an interrupted download resumes), and the file gets its final name only
 * when complete, so a cached path never holds half a file.
 */
export async function openPartialFile(fs: PieceWriteFs, finalPath: string): Promise<CacheFileWriter> {
  const partPath = `${finalPath}.part`;
  await fs.mkdir(finalPath.substring(0, finalPath.lastIndexOf('/')), { recursive: true });
  let size = 0;
  try {
    size = (await fs.lstat(partPath)).size;
  } catch {
    size = 0;
  }
  // 'a+' creates the file when missing and keeps what is there; positions are explicit.
  const fd = await fs.open(partPath, 'a+');
  let open = true;
  const close = async () => {
    if (!open) return;
    open = false;
    await fs.close(fd);
  };
  return {
    get size() {
      return size;
    },
    async append(bytes) {
      let written = 0;
      // A view's own buffer may be larger than the view (a slice of a bigger read).
      const buffer = bytes.buffer as ArrayBuffer;
      while (written < bytes.byteLength) {
        const { bytesWritten } = await fs.write(fd, buffer, bytes.byteOffset + written, bytes.byteLength - written, size + written);
        if (bytesWritten <= 0) throw new Error(`Writing ${partPath} stopped after ${size + written} bytes (is the disk full?).`);
        written += bytesWritten;
      }
      size += written;
    },
    async read(start, end) {
      const buffer = new ArrayBuffer(Math.max(0, end - start));
      let filled = 0;
      while (filled < buffer.byteLength) {
        const { bytesRead } = await fs.read(fd, buffer, filled, buffer.byteLength - filled, start + filled);
        if (bytesRead <= 0) throw new Error(`${partPath} ended at ${start + filled} bytes.`);
        filled += bytesRead;
      }
      return new Uint8Array(buffer);
    },
    async commit() {
      await close();
      await fs.rename(partPath, finalPath);
      return finalPath;
    },
    async discard() {
      await close();
      await fs.unlink(partPath);
    },
    close,
  };
}
