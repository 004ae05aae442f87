import { createIncrementalSha256 } from '../incremental-sha256.ts';
import { throwIfAborted } from './abort.ts';
import { chunkBytes, type RunningSha256, type UploadSource } from './source.ts';

const CATCH_UP_BYTES = 4 * 1024 * 1024;

/**
 * The SHA-256 of a file, taken from the bytes as they are read to be sent (the tap), so
 * the file is read once for both. SHA-256 runs in order, so the hash stands at one
 * position: a chunk of a request that starts there (a fresh upload, or a retry of bytes
 * it saw already) feeds it; a request that starts further on (an upload resumed at the
 * server's offset) leaves a gap, which `catchUp` fills from the source's own reads while
 * the rest is sent, until it meets the tap. Whatever no request brought is read at the end.
 */
export class SendHash {
  private position = 0;
  /** End of the last chunk the tap saw: the background catch-up stops there. */
  private tapEnd = 0;
  private catching: Promise<void> | null = null;

  private constructor(
    private readonly hash: RunningSha256,
    private readonly source: UploadSource,
    private readonly onProgress?: (bytesHashed: number) => void,
  ) {}

  static async create(source: UploadSource, onProgress?: (bytesHashed: number) => void): Promise<SendHash> {
    return new SendHash(source.createSha256?.() ?? (await createIncrementalSha256()), source, onProgress);
  }

  /** For UploadSource.stream(): a chunk read at `at`, on its way to the server. */
  readonly tap = (at: number, bytes: Uint8Array): void => {
    this.tapEnd = Math.max(this.tapEnd, at + bytes.byteLength);
    if (at > this.position) {
      this.startCatchUp();
      return;
    }
    this.feed(at, bytes);
  };

  /** Reads the bytes the tap skipped, in the background, until it meets the tap. */
  private startCatchUp(): void {
    this.catching ??= this.readOn(undefined, () => this.position >= this.tapEnd)
      .catch(() => {
        // The digest() at the end reads again whatever is missing, and reports the failure.
      })
      .finally(() => {
        this.catching = null;
      });
  }

  /** The digest of the whole source, reading from the source what no request brought. */
  async digest(signal?: AbortSignal): Promise<string> {
    await this.catching;
    await this.readOn(signal, () => false);
    if (this.position !== this.source.size) throw new Error('the file changed while it was being uploaded');
    return this.hash.digestHex();
  }

  private async readOn(signal: AbortSignal | undefined, stop: () => boolean): Promise<void> {
    while (this.position < this.source.size && !stop()) {
      throwIfAborted(signal);
      const at = this.position;
      const end = Math.min(at + CATCH_UP_BYTES, this.source.size);
      const bytes = await chunkBytes(await this.source.read(at, end));
      if (bytes.byteLength !== end - at) throw new Error(`the file changed while it was being read (expected ${end - at} bytes at ${at})`);
      this.feed(at, bytes);
    }
  }

  private feed(at: number, bytes: Uint8Array): void {
    const end = at + bytes.byteLength;
    if (at > this.position || end <= this.position) return;
    this.hash.update(at === this.position ? bytes : bytes.subarray(this.position - at));
    this.position = end;
    this.onProgress?.(end);
  }
}
