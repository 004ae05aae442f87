import { HostError } from './host-error.ts';
import type { DocumentSnapshot } from './types.ts';
import type { PieceWriteFs } from './partial-file.ts';

const DEFAULT_CHUNK = 4 * 1024 * 1024;

/**
 * A file opened for reading by range with UXP's fs (what a resumable upload needs: an
 * interrupted upload resumes at the server's offset without reading from the start).
 */
export async function openFileSnapshot(fs: Pick<PieceWriteFs, 'lstat' | 'open' | 'read' | 'close'>, path: string, name: string): Promise<DocumentSnapshot> {
  const { size } = await fs.lstat(path);
  const fd = await fs.open(path, 'r');
  const read = async (start: number, end: number): Promise<Uint8Array> => {
    const buffer = new ArrayBuffer(Math.max(0, Math.min(end, size) - start));
    let filled = 0;
    while (filled < buffer.byteLength) {
      const { bytesRead } = await fs.read(fd, buffer, filled, buffer.byteLength - filled, start + filled);
      if (bytesRead <= 0) throw new HostError(`${name} ended before its full size was read.`);
      filled += bytesRead;
    }
    return new Uint8Array(buffer);
  };
  let closed = false;
  return {
    path,
    name,
    size,
    read,
    async *chunks(chunkSize = DEFAULT_CHUNK) {
      for (let position = 0; position < size; position += chunkSize) yield await read(position, position + chunkSize);
    },
    async close() {
      if (closed) return;
      closed = true;
      await fs.close(fd);
    },
  };
}
