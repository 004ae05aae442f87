import { createIncrementalSha256 } from '../incremental-sha256.ts';
import { throwIfAborted } from './abort.ts';
import { chunkBytes, type UploadSource } from './source.ts';

const HASH_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * SHA-256 of a whole source, one chunk in memory at a time. WebCrypto's digest()
 * cannot be fed incrementally, so browsers and UXP use an incremental SHA-256
 * (WebAssembly where the engine has it, see incremental-sha256.ts).
 */
export async function hashSource(
  source: UploadSource,
  onProgress?: (bytesHashed: number) => void,
  signal?: AbortSignal,
  chunkSize = HASH_CHUNK_BYTES,
): Promise<string> {
  if (source.sha256) return source.sha256(onProgress, signal);
  const hash = await createIncrementalSha256();
  for (let offset = 0; offset < source.size; ) {
    throwIfAborted(signal);
    const end = Math.min(offset + chunkSize, source.size);
    const bytes = await chunkBytes(await source.read(offset, end));
    if (bytes.byteLength !== end - offset) {
      throw new Error(`the file changed while it was being read (expected ${end - offset} bytes at ${offset})`);
    }
    hash.update(bytes);
    offset = end;
    onProgress?.(offset);
  }
  return hash.digestHex();
}
