import { StockroomError, UPLOAD_ERROR_HEADER, UPLOAD_METADATA, uploadIdFromUrl } from '@stockroom/shared-types';
import { Upload, type DetailedError, type UrlStorage } from 'tus-js-client';
import { abortReason, throwIfAborted } from './abort.ts';
import { declareSha256 } from './declare.ts';
import { uploadErrorFromResponse } from './errors.ts';
import { SendHash } from './send-hash.ts';
import { hashSource } from './sha256.ts';
import { chunkBytes, toUploadSource, type UploadInput, type UploadSource } from './source.ts';

export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;

export interface UploadOptions {
  /** Name stored with the version; defaults to the File's name. */
  fileName?: string;
  /** MIME type; defaults to the Blob's type, then application/octet-stream. */
  mimeType?: string;
  /** Bytes the server has confirmed or that are on the wire, out of the file size. */
  onProgress?: (bytesSent: number, bytesTotal: number) => void;
  /**
   * Progress of the SHA-256: a pass before any byte is sent, or, for a source that streams
   * and names itself (fileSource in Node), the hash taken while the bytes are sent.
   */
  onHashProgress?: (bytesHashed: number, bytesTotal: number) => void;
  /** Aborting keeps what the server already has: upload() of the same bytes resumes there. */
  signal?: AbortSignal;
  /** The file's SHA-256 when the caller already knows it (skips hashing). */
  sha256?: string;
  /**
   * Bytes per PATCH request (default 8 MiB): what a dropped connection can lose when each
   * request body is read into memory. A source that streams (fileSource in Node) is sent
   * in one request by default: the bridge keeps every byte that arrived, so a drop loses
   * only what was in flight, and the bridge hashes a whole upload in one request with
   * its fastest SHA-256.
   */
  chunkSize?: number;
}

export interface UploadResult {
  /** What assets.create / assets.checkin take. */
  uploadId: string;
  uploadUrl: string;
  sha256: string;
  size: number;
  /** Offset the server already had when this call started (0 for a fresh upload). */
  resumedFrom: number;
  /** Bytes this call sent and the server accepted. */
  bytesSent: number;
}

export interface UploaderConfig {
  endpoint: string;
  token: () => string;
  /** Bytes per request; undefined: DEFAULT_CHUNK_BYTES, or the whole file for a source that streams. */
  chunkSize: number | undefined;
  urlStorage: UrlStorage;
  /** Waits between retries of a failed request (tus-js-client's retryDelays). */
  retryDelays: number[];
}

function isDetailedError(error: unknown): error is DetailedError {
  return error instanceof Error && 'originalRequest' in error;
}

function toStockroomError(error: unknown): StockroomError {
  if (isDetailedError(error) && error.originalResponse) {
    const response = error.originalResponse;
    return uploadErrorFromResponse({
      status: response.getStatus(),
      errorHeader: response.getHeader(UPLOAD_ERROR_HEADER),
      body: response.getBody(),
    });
  }
  const reason = isDetailedError(error) && error.causingError ? error.causingError.message : String((error as Error)?.message ?? error);
  return new StockroomError(
    'DISCONNECTED',
    `The upload was interrupted (${reason}). Call upload() again with the same file to continue where it stopped.`,
    undefined,
    { cause: error },
  );
}

/** tus-js-client's file reader over an UploadSource, so every platform reads by range the same way. */
function tusFileReader(source: UploadSource, tap?: (position: number, bytes: Uint8Array) => void) {
  return {
    openFile: () =>
      Promise.resolve({
        size: source.size,
        async slice(start: number, end: number) {
          const stop = Math.min(end, source.size);
          if (source.stream && stop > start) {
            // tus-js-client sizes the request (Content-Length) by the body's `size`.
            return { value: Object.assign(await source.stream(start, stop, tap), { size: stop - start }), done: stop >= source.size };
          }
          // Bytes rather than Blob slices: Node's HTTP stack cannot send a Blob, and one
          // chunk in memory is the bound anyway. tus-js-client measures a chunk by `size`.
          const bytes = await chunkBytes(await source.read(start, stop));
          return { value: Object.assign(bytes, { size: bytes.byteLength }), done: stop >= source.size };
        },
        // The source is closed by uploadResumable once the upload settles.
        close() {},
      }),
  };
}

/**
 * Sends a file with the tus protocol, resuming a previous upload of the same bytes (found
 * in urlStorage) at the server's offset. A source that streams its bytes and names itself
 * (fileSource in Node) is hashed while it is sent, from the same reads, and its SHA-256
 * declared after the last byte; any other source is hashed first and its SHA-256 declared
 * at creation (in a browser or UXP the request body is a chunk in memory, read separately).
 */
export async function uploadResumable(input: UploadInput, options: UploadOptions, config: UploaderConfig): Promise<UploadResult> {
  const source = toUploadSource(input);
  const { signal } = options;
  try {
    throwIfAborted(signal);
    const size = source.size;
    const onHashProgress = options.onHashProgress && ((n: number) => options.onHashProgress?.(n, size));
    if (!options.sha256 && source.stream && source.identity !== undefined) {
      const hash = await SendHash.create(source, onHashProgress);
      return await sendWithTus(source, { identity: source.identity, hash }, options, config);
    }
    const sha256 = options.sha256 ?? (await hashSource(source, onHashProgress, signal));
    throwIfAborted(signal);
    return await sendWithTus(source, { sha256 }, options, config);
  } finally {
    await source.close?.();
  }
}

/** The SHA-256 known before sending, or taken while sending (then the source's identity finds a previous upload). */
type Checksum = { sha256: string } | { identity: string; hash: SendHash };

function sendWithTus(source: UploadSource, checksum: Checksum, options: UploadOptions, config: UploaderConfig): Promise<UploadResult> {
  const { signal } = options;
  const size = source.size;
  const known = 'sha256' in checksum ? checksum.sha256 : null;
  const hash = 'hash' in checksum ? checksum.hash : null;
  // Where the bridge stood when this call began: 0 for a new upload, else the offset its
  // first HEAD answered. Counting completed chunks instead would miss the bytes the bridge
  // kept from a request that broke off (a streamed body is one long request).
  let startOffset: number | null = null;
  const fingerprint = known
    ? `stockroom-${known}-${size}-${config.endpoint}`
    : `stockroom-file-${(checksum as { identity: string }).identity}-${config.endpoint}`;
  return new Promise<UploadResult>((resolve, reject) => {
    const upload: Upload = new Upload(source as unknown as Blob, {
      endpoint: config.endpoint,
      chunkSize: options.chunkSize ?? config.chunkSize ?? (source.stream ? Number.POSITIVE_INFINITY : DEFAULT_CHUNK_BYTES),
      retryDelays: config.retryDelays,
      uploadSize: size,
      metadata: {
        ...(known ? { [UPLOAD_METADATA.sha256]: known } : {}),
        [UPLOAD_METADATA.filename]: options.fileName ?? source.name ?? 'upload',
        [UPLOAD_METADATA.mimeType]: options.mimeType ?? source.type ?? 'application/octet-stream',
      },
      // The same bytes to the same server resume the same upload, wherever they are read from.
      fingerprint: () => Promise.resolve(fingerprint),
      urlStorage: config.urlStorage,
      fileReader: tusFileReader(source, hash?.tap),
      storeFingerprintForResuming: true,
      // Forgotten below, awaited: tus-js-client's own removal is not awaited before onSuccess.
      removeFingerprintOnSuccess: false,
      // Read per request so a token replaced with setToken() is used by a running upload.
      onBeforeRequest: (request) => request.setHeader('Authorization', `Bearer ${config.token()}`),
      // A proxy in front of a restarting bridge answers 502/503/504. tus-js-client takes a
      // HEAD answered so as a lost upload and starts a new one from byte 0; failing the
      // request instead makes it retry (retryDelays) and resume at the server's offset.
      onAfterResponse: (request, response) => {
        if (request.getMethod() === 'HEAD' && response.getStatus() >= 500) {
          throw new Error(`the server answered HTTP ${response.getStatus()} when asked for the upload's offset`);
        }
        if (startOffset === null && request.getMethod() === 'POST' && response.getStatus() === 201) startOffset = 0;
        if (startOffset === null && request.getMethod() === 'HEAD' && response.getStatus() === 200) {
          startOffset = Number(response.getHeader('Upload-Offset')) || 0;
        }
      },
      onProgress: (sent, total) => options.onProgress?.(sent, total),
      onSuccess: () => {
        const uploadUrl = upload.url ?? '';
        const resumedFrom = startOffset ?? 0;
        // Every byte is at the bridge; with a hash taken while sending, the bytes become the
        // upload's only once its SHA-256 is declared (an abort still stops that).
        const declared = hash ? declareAfterBytes(hash, source, uploadUrl, config, signal) : Promise.resolve(known!);
        declared.then(
          (sha256) => {
            signal?.removeEventListener('abort', onAbort);
            const result = { uploadId: uploadIdFromUrl(uploadUrl), uploadUrl, sha256, size, resumedFrom, bytesSent: size - resumedFrom };
            // Forgetting is housekeeping: the upload itself succeeded either way.
            void forget(config.urlStorage, fingerprint)
              .catch(() => {})
              .then(() => resolve(result));
          },
          (error: unknown) => {
            signal?.removeEventListener('abort', onAbort);
            // The bridge refused these bytes for good (CHECKSUM_MISMATCH: the file changed): a later upload() starts afresh.
            const final = error instanceof StockroomError && error.code !== 'DISCONNECTED';
            void (final ? forget(config.urlStorage, fingerprint) : Promise.resolve())
              .catch(() => {})
              .then(() => reject(signal?.aborted ? abortReason(signal) : error instanceof StockroomError ? error : toStockroomError(error)));
          },
        );
      },
      onError: (error) => {
        signal?.removeEventListener('abort', onAbort);
        reject(toStockroomError(error));
      },
    });
    const onAbort = () => {
      // false: keep the server's partial upload so the next upload() resumes it.
      void upload
        .abort(false)
        .catch(() => {})
        .then(() => reject(abortReason(signal!)));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    upload
      .findPreviousUploads()
      .then((previous) => {
        if (signal?.aborted) return;
        const latest = previous.sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime))[0];
        if (latest) upload.resumeFromPreviousUpload(latest);
        upload.start();
      })
      .catch((error: unknown) => reject(toStockroomError(error)));
  });
}

/**
 * With the hash taken while sending: its digest (reading what no request brought), a check
 * that the file was not saved meanwhile, then the declaration that turns the bytes into a
 * verified upload.
 */
async function declareAfterBytes(hash: SendHash, source: UploadSource, uploadUrl: string, config: UploaderConfig, signal?: AbortSignal): Promise<string> {
  const sha256 = await hash.digest(signal);
  try {
    await source.checkUnchanged?.();
  } catch (error) {
    throw new StockroomError(
      'CHECKSUM_MISMATCH',
      `The file changed while it was being uploaded (${(error as Error).message}); nothing was stored. Upload it again once it is saved.`,
    );
  }
  await declareSha256({ uploadUrl, size: source.size, sha256, token: config.token, retryDelays: config.retryDelays, signal });
  return sha256;
}

/** Drops every remembered URL for these bytes, so a later upload of them starts fresh. */
async function forget(storage: UrlStorage, fingerprint: string): Promise<void> {
  const entries = await storage.findUploadsByFingerprint(fingerprint);
  for (const entry of entries) await storage.removeUpload(entry.urlStorageKey);
}
