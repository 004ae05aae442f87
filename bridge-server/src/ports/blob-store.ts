import { StockroomError } from '@stockroom/shared-types';

/** Where verified bytes live, addressed by their SHA-256 (lower-case hex). */
export interface BlobStore {
  /** Moves a fully written local file into the store under its SHA-256: atomic (write/fsync/rename on disk), a no-op when the content is already stored (the local file is then removed). */
  putFile(localPath: string, sha256: string, size: number): Promise<{ storageKey: string; existed: boolean }>;
  has(sha256: string): Promise<boolean>;
  /** null when absent */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** start/end inclusive, like HTTP ranges */
  createReadStream(sha256: string, range?: { start: number; end: number }): Promise<NodeJS.ReadableStream>;
  delete(sha256: string): Promise<void>;
  /** Throws, with a sentence naming what to fix, when the store cannot be used right now (for /readyz). */
  checkReady?(): Promise<void>;
  /** Where the bytes can be read in place, for stores on local disk (media tools read files, not streams); absent elsewhere. */
  localPath?(sha256: string): string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Keys are built from the digest, so anything else must never reach a path or an object name. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new Error(`Not a lower-case hex SHA-256: ${JSON.stringify(sha256)}`);
}

/** `ab/cd/abcd…`: two levels of fan-out keep directories (and S3 listings) small. */
export function blobKey(sha256: string): string {
  assertSha256(sha256);
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}

export function blobNotFound(sha256: string): StockroomError {
  return new StockroomError('NOT_FOUND', `The stored bytes ${sha256} are missing; restore them from a backup or upload the file again.`);
}
