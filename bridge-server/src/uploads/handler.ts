import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { isStockroomError, StockroomError, UPLOAD_ERROR_HEADER, UPLOAD_PATH, UPLOAD_SHA256_HEADER, uploadIdFromUrl } from '@stockroom/shared-types';
import { MemoryLocker, Server, type Locker, type Upload } from '@tus/server';
import express from 'express';
import type pino from 'pino';
import type { ServerRequest } from 'srvx';
import { NodeRequest, sendNodeResponse } from 'srvx/node';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Actor } from '../services/actor.ts';
import { cleanupExpiredUploads, type CleanupResult } from './cleanup.ts';
import { declareSha256, isDeclaration } from './declare.ts';
import { errorResponse, normalizeErrorResponse, stockroomErrorResponse, toTusError } from './errors.ts';
import { failedError, UploadFinisher } from './finish.ts';
import { HashingFileStore } from './hashing-file-store.ts';
import type { Db } from '../repositories/db.ts';
import { uploadRows } from '../repositories/uploads.ts';
import { parseUploadMetadata } from './metadata.ts';

export interface UploadHandlerDeps {
  prisma: Db;
  blobStore: BlobStore;
  /** Partial uploads live here; best on the same filesystem as a disk blob store, so finishing is a rename. */
  uploadDir: string;
  maxUploadBytes: number;
  /** An unfinished upload is removed this long after it was created. */
  expireAfterMs: number;
  logger: pino.Logger;
  /** Throws StockroomError('UNAUTHENTICATED') for a missing or bad `Authorization: Bearer` token. */
  authenticate: (req: IncomingMessage) => Promise<Actor>;
  /**
   * Serialises the requests of one upload. With more than one api process it must
   * be shared by all of them (PgUploadLocker); the default only sees this process.
   */
  locker?: Locker;
  /** How long a request waits for a stalled holder of its upload's lock to let go (tus drains it first). */
  lockDrainTimeoutMs?: number;
}

export interface UploadHandler {
  /** Serves the tus protocol at UPLOAD_PATH; mount with `app.use(router)` before any body parser that reads every body. */
  router: express.Router;
  cleanupExpiredUploads(now?: number): Promise<CleanupResult>;
  /** Bytes of an unfinished upload on disk, null when there are none (pass to UploadsService). */
  receivedBytes(uploadId: string): Promise<number | null>;
}

/**
 * Resumable uploads (tus 1.0 via @tus/server) for an authenticated caller. Each
 * upload has a row in `uploads` from its creation: the owner, the declared size,
 * SHA-256 (unless the client declares it after the bytes, declare.ts), name and type.
 * Bytes stream to a file store that hashes them on the way; the last byte (or, for a
 * SHA-256 declared afterwards, the declaration) triggers verification and the move into
 * the blob store.
 */
export function createUploadHandler(deps: UploadHandlerDeps): UploadHandler {
  const { prisma, logger } = deps;
  const log = logger.child({ component: 'uploads' });
  const locker = deps.locker ?? new MemoryLocker();
  const receivedBytes = receivedBytesIn(deps.uploadDir);
  const store: HashingFileStore = new HashingFileStore({
    directory: deps.uploadDir,
    expirationPeriodInMilliseconds: deps.expireAfterMs,
    onComplete: (id, sha256) =>
      finisher.finish(id, sha256).catch((error: unknown) => {
        throw isStockroomError(error) ? toTusError(error) : error;
      }),
    finishedSize: async (id) => {
      const upload = await uploadRows.find(prisma, id);
      return upload?.status === 'complete' ? Number(upload.size) : null;
    },
  });
  const finisher = new UploadFinisher({ prisma, blobStore: deps.blobStore, store, logger: log });
  const actors = new WeakMap<IncomingMessage, Actor>();

  const actorOf = (req: Request): Actor => {
    const node = (req as ServerRequest).runtime?.node?.req as IncomingMessage | undefined;
    const actor = node ? actors.get(node) : undefined;
    if (!actor) throw new Error('upload request reached tus without an authenticated caller');
    return actor;
  };

  const tus = new Server({
    path: UPLOAD_PATH,
    datastore: store,
    locker,
    lockDrainTimeout: deps.lockDrainTimeoutMs ?? 3000,
    maxSize: deps.maxUploadBytes,
    relativeLocation: true,
    exposedHeaders: [UPLOAD_ERROR_HEADER],
    allowedHeaders: [UPLOAD_SHA256_HEADER],
    async onUploadCreate(req: Request, upload: Upload) {
      try {
        const actor = actorOf(req);
        const metadata = parseUploadMetadata(upload.metadata);
        await uploadRows.create(prisma, {
          id: upload.id,
          userId: actor.user.id,
          size: BigInt(upload.size ?? 0),
          declaredSha256: metadata.sha256,
          fileName: metadata.fileName,
          mimeType: metadata.mimeType,
        });
        log.info({ uploadId: upload.id, userId: actor.user.id, size: upload.size }, 'upload created');
        const { sha256: _given, ...rest } = upload.metadata ?? {};
        return {
          metadata: { ...rest, ...(metadata.sha256 ? { sha256: metadata.sha256 } : {}), filename: metadata.fileName, filetype: metadata.mimeType },
        };
      } catch (error) {
        throw isStockroomError(error) ? toTusError(error) : error;
      }
    },
    // The write that brought the last byte already finished the upload under its lock (or
    // kept its hash until the SHA-256 is declared); this runs the finish of a 0-byte upload,
    // which never sees a write. Others are left alone: this runs after the lock is released.
    async onUploadFinish(_req: Request, upload: Upload) {
      if (upload.size !== 0) return {};
      try {
        await finisher.finish(upload.id);
        return {};
      } catch (error) {
        throw isStockroomError(error) ? toTusError(error) : error;
      }
    },
    onResponseError(_req, error) {
      if (error instanceof Error) log.error({ err: error }, 'upload request failed');
      return undefined;
    },
  });

  /** The owner's upload row, or NOT_FOUND for an unknown id and for anybody else's upload alike. */
  async function ownUpload(url: string, actor: Actor) {
    const id = uploadIdFromUrl(url);
    const upload = id ? await uploadRows.find(prisma, id) : null;
    if (!upload || upload.userId !== actor.user.id) {
      throw new StockroomError('NOT_FOUND', 'This upload does not exist or has expired. Start a new upload.');
    }
    return upload;
  }

  async function respond(req: IncomingMessage, res: ServerResponse): Promise<Response> {
    if (req.method === 'OPTIONS') return tus.handleWeb(new NodeRequest({ req, res }) as unknown as Request);
    const actor = await deps.authenticate(req);
    actors.set(req, actor);
    const isCreation = req.method === 'POST' && uploadIdFromUrl(req.url ?? '') === uploadIdFromUrl(UPLOAD_PATH);
    if (req.method === 'GET') {
      throw new StockroomError('PROTOCOL_ERROR', "An upload's bytes cannot be downloaded; download the version made from it.");
    }
    if (!isCreation) {
      const upload = await ownUpload(req.url ?? '', actor);
      if (isDeclaration(req)) return declareSha256(req, upload, { prisma, finisher, receivedBytes, underLock });
      if (upload.status === 'failed') return stockroomErrorResponse(failedError(upload.failure), 410);
      if (upload.status === 'complete') {
        if (req.method === 'HEAD') return finishedHead(upload.size);
        throw new StockroomError('CONFLICT', 'This upload is already complete; use its id, or start a new upload for new bytes.');
      }
      // Every byte arrived but the finish did not run (the server stopped right then): finish
      // now, or keep the hash of the bytes when the SHA-256 is still to be declared.
      if (req.method === 'HEAD' && (await isFullyReceived(upload.id, Number(upload.size)))) {
        await underLock(upload.id, () => finisher.finish(upload.id));
        return finishedHead(upload.size);
      }
    }
    const response = await tus.handleWeb(new NodeRequest({ req, res }) as unknown as Request);
    if (req.method === 'DELETE' && response.status === 204) {
      const id = uploadIdFromUrl(req.url ?? '');
      await rm(store.statePath(id), { force: true });
      await uploadRows.failPending(prisma, id, 'cancelled by the client');
    }
    return response;
  }

  async function isFullyReceived(id: string, size: number): Promise<boolean> {
    try {
      return (await stat(store.filePath(id))).size === size;
    } catch {
      return false;
    }
  }

  async function underLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const lock = locker.newLock(id);
    await lock.lock(AbortSignal.timeout(30_000), () => {});
    try {
      return await work();
    } finally {
      await lock.unlock();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: Response;
    try {
      response = await respond(req, res);
      if (response.status >= 400) {
        response = await normalizeErrorResponse(response, { maxUploadBytes: deps.maxUploadBytes, uploadLength: headerOf(req, 'upload-length') });
      }
      if (isDeclaration(req)) allowOrigin(req, response, 'Upload-Offset, Tus-Resumable');
    } catch (error) {
      if (isStockroomError(error)) {
        response = stockroomErrorResponse(error);
      } else {
        log.error({ err: error }, 'upload request failed');
        response = errorResponse(500, {
          code: 'INTERNAL',
          message: 'The server could not handle this upload request. Retry: the upload resumes where it stopped.',
        });
      }
      response.headers.set('Tus-Resumable', '1.0.0');
      // Refusals made before tus saw the request carry no CORS headers of tus's; without
      // them a page on another origin (the Figma UI) could not read the error code.
      allowOrigin(req, response, `${UPLOAD_ERROR_HEADER}, Tus-Resumable`);
    } finally {
      actors.delete(req);
    }
    await sendNodeResponse(res, response);
  }

  const router = express.Router();
  router.all([UPLOAD_PATH, `${UPLOAD_PATH}/:id`], (req, res, next) => {
    handle(req, res).catch(next);
  });

  const cleanup = (now?: number) => cleanupExpiredUploads({ prisma, store, uploadDir: deps.uploadDir, expireAfterMs: deps.expireAfterMs, logger: log }, now);

  return {
    router,
    cleanupExpiredUploads: cleanup,
    receivedBytes,
  };
}

/** How many bytes of an unfinished upload are on disk in `uploadDir` (null when none): for UploadsService. */
export function receivedBytesIn(uploadDir: string): (uploadId: string) => Promise<number | null> {
  return async (uploadId) => {
    if (!/^[A-Za-z0-9_-]+$/.test(uploadId)) return null;
    try {
      return (await stat(path.join(uploadDir, uploadId))).size;
    } catch {
      return null;
    }
  };
}

function finishedHead(size: bigint): Response {
  return new Response(null, {
    status: 200,
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': size.toString(),
      'Upload-Length': size.toString(),
      'Cache-Control': 'no-store',
    },
  });
}

/** CORS headers for an answer tus did not make (a declaration, a refusal before tus). */
function allowOrigin(req: IncomingMessage, response: Response, exposed: string): void {
  const origin = req.headers.origin;
  if (!origin) return;
  response.headers.set('Access-Control-Allow-Origin', origin);
  response.headers.set('Access-Control-Expose-Headers', exposed);
  response.headers.append('Vary', 'Origin');
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}
