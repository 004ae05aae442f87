import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { create as contentDisposition } from 'content-disposition';
import express, { type Router } from 'express';
import { StockroomError, zipDownloadQuerySchema } from '@stockroom/shared-types';
import type { BlobStore } from '../ports/blob-store.ts';
import type { Logger } from '../logger.ts';
import type { LibraryService } from '../services/library.ts';
import type { Authenticate } from './authenticate.ts';

/**
 * `GET /api/library/download.zip?ids=a,b,c`: the head versions of many assets as one zip,
 * streamed entry by entry from the blob store (never built in memory or on disk). Media
 * files are stored, not compressed: they are compressed already.
 */
export function libraryDownloadRouter(library: LibraryService, blobStore: BlobStore, authenticate: Authenticate, logger: Logger): Router {
  const router = express.Router();
  router.get('/api/library/download.zip', async (req, res) => {
    const parsed = zipDownloadQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      throw new StockroomError(
        'VALIDATION_FAILED',
        `Use /api/library/download.zip?ids=<asset id>,<asset id>…: ${parsed.error.issues[0]?.message ?? 'bad ids'}.`,
      );
    }
    const actor = await authenticate(req);
    const entries = await library.zipEntries(actor, parsed.data.ids);
    const zip = new ZipArchive({ store: true });
    res.status(200);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', contentDisposition(`stockroom-${entries.length}-assets.zip`));
    res.setHeader('Cache-Control', 'private, no-store');
    zip.on('warning', (error: Error) => logger.warn({ err: error }, 'zip download warning'));
    zip.on('error', (error: Error) => {
      logger.error({ err: error }, 'zip download failed part way');
      res.destroy(error);
    });
    res.on('close', () => {
      if (!res.writableFinished) zip.abort();
    });
    zip.pipe(res);
    try {
      for (const entry of entries) {
        if (res.destroyed) return;
        const stream = await blobStore.createReadStream(entry.sha256);
        zip.append(stream as Readable, { name: entry.name });
        // One entry at a time: archiver reads the next stream only after this one ends.
        await once(zip, 'entry');
      }
      await zip.finalize();
    } catch (error) {
      logger.error({ err: error }, 'zip download failed part way');
      res.destroy(error as Error);
    }
  });
  return router;
}
