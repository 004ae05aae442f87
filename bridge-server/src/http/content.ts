import express, { type Router } from 'express';
import { z } from 'zod';
import { StockroomError } from '@stockroom/shared-types';
import type { BlobStore } from '../ports/blob-store.ts';
import type { VersionsService } from '../services/versions.ts';
import type { Authenticate } from './authenticate.ts';
import { sendBlob } from './send-blob.ts';

const params = z.object({ id: z.uuid(), number: z.coerce.number().int().positive() });

/** Downloads of any version's bytes, with Range, ETag and the original file name. */
export function contentRouter(versions: VersionsService, blobStore: BlobStore, authenticate: Authenticate): Router {
  const router = express.Router();
  const handler: express.RequestHandler = async (req, res) => {
    const parsed = params.safeParse(req.params);
    if (!parsed.success) {
      throw new StockroomError('VALIDATION_FAILED', 'Use /api/assets/<asset id>/versions/<version number>/content.');
    }
    const actor = await authenticate(req);
    const content = await versions.content(actor, parsed.data.id, parsed.data.number);
    await sendBlob(req, res, blobStore, content);
  };
  router.get('/api/assets/:id/versions/:number/content', handler);
  router.head('/api/assets/:id/versions/:number/content', handler);
  return router;
}
