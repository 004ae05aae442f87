/**
 * Where the bytes of an upload come from. Reading by range keeps memory constant
 * (one chunk at a time) and lets a resumed upload start at the server's offset.
 */
export interface UploadSource {
  readonly size: number;
  /** Used as the file name when the caller gives none. */
  readonly name?: string;
  /** Used as the MIME type when the caller gives none. */
  readonly type?: string;
  /** Bytes [start, end), as bytes or a Blob slice; one chunk is read at a time. */
  read(start: number, end: number): Promise<Blob | Uint8Array>;
  /**
   * Hex SHA-256 of the whole content. Optional: without it the client hashes
   * read() chunks (see incremental-sha256.ts; Node sources use node:crypto, faster still).
   */
  sha256?(onProgress?: (bytesHashed: number) => void, signal?: AbortSignal): Promise<string>;
  /**
   * Bytes [start, end) as a stream for one request body, where the HTTP stack sends one
   * (Node: tus-js-client pipes a Readable into the request). Optional: without it the
   * body is read() into memory, which tus-js-client's Node stack then writes in slices of
   * the socket's 16 KiB high-water mark, waiting for a drain after each (see fileSource).
   * `tap`, when given, sees every chunk (with its position in the file) as it is read,
   * before it is sent: the upload hashes the bytes it sends from it.
   */
  stream?(start: number, end: number, tap?: (position: number, bytes: Uint8Array) => void): Promise<object>;
  /**
   * What names these bytes without reading them (a file's path, size and modification
   * time). With it and stream(), upload() hashes while it sends and declares the SHA-256
   * after the bytes, and resumes an upload of the same identity.
   */
  readonly identity?: string;
  /** Throws when the content may have changed since the source was opened (a file saved meanwhile). */
  checkUnchanged?(): Promise<void>;
  /** This platform's fastest SHA-256 fed piece by piece (Node: node:crypto); default incremental-sha256.ts. */
  createSha256?(): RunningSha256;
  /** Frees what the source holds open (a file handle). Called once the upload settles. */
  close?(): void | Promise<void>;
}

/** A SHA-256 fed piece by piece. */
export interface RunningSha256 {
  update(bytes: Uint8Array): void;
  digestHex(): string;
}

/** What `upload()` accepts: a Blob/File (browsers, UXP, Node 20), raw bytes, or any UploadSource. */
export type UploadInput = Blob | Uint8Array | ArrayBuffer | UploadSource;

export function blobSource(blob: Blob): UploadSource {
  return {
    size: blob.size,
    name: 'name' in blob && typeof blob.name === 'string' ? blob.name : undefined,
    type: blob.type || undefined,
    read: (start, end) => Promise.resolve(blob.slice(start, end)),
  };
}

export function bytesSource(bytes: Uint8Array | ArrayBuffer): UploadSource {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return {
    size: view.byteLength,
    read: (start, end) => Promise.resolve(view.subarray(start, end)),
  };
}

export function toUploadSource(input: UploadInput): UploadSource {
  if (typeof Blob !== 'undefined' && input instanceof Blob) return blobSource(input);
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return bytesSource(input);
  if (typeof input === 'object' && input !== null && 'read' in input && typeof input.read === 'function') {
    return input;
  }
  throw new TypeError('upload() takes a Blob, a File, a Uint8Array, an ArrayBuffer or an UploadSource');
}

/** Bytes of a chunk returned by read(), whichever form it has. */
export async function chunkBytes(chunk: Blob | Uint8Array): Promise<Uint8Array> {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk.arrayBuffer === 'function') return new Uint8Array(await chunk.arrayBuffer());
  // Older embedded web views (some UXP versions) have Blob without arrayBuffer().
  const { FileReader } = globalThis as unknown as { FileReader: new () => BlobReader };
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsArrayBuffer(chunk);
  });
}

/** The part of the DOM FileReader used above (this package compiles without the DOM lib). */
interface BlobReader {
  result: unknown;
  error: unknown;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  readAsArrayBuffer(blob: Blob): void;
}
