import express, { type Router } from 'express';
import { z } from 'zod';
import { StockroomError } from '@stockroom/shared-types';
import type { BlobStore } from '../ports/blob-store.ts';
import type { DerivativesService } from '../services/derivatives.ts';
import type { Authenticate } from './authenticate.ts';
import { sendBlob } from './send-blob.ts';

const params = z.object({
  id: z.uuid(),
  number: z.coerce.number().int().positive(),
  preset: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
});

/** Downloads of derivatives (thumbnails, previews, proxies...), with Range and ETag so a `<video>` seeks. */
export function derivativeContentRouter(derivatives: DerivativesService, blobStore: BlobStore, authenticate: Authenticate): Router {
  const router = express.Router();
  const handler: express.RequestHandler = async (req, res) => {
    const parsed = params.safeParse(req.params);
    if (!parsed.success) {
      throw new StockroomError('VALIDATION_FAILED', 'Use /api/assets/<asset id>/versions/<version number>/derivatives/<preset>/content.');
    }
    const actor = await authenticate(req);
    const content = await derivatives.content(actor, parsed.data.id, parsed.data.number, parsed.data.preset);
    await sendBlob(req, res, blobStore, content);
  };
  router.get('/api/assets/:id/versions/:number/derivatives/:preset/content', handler);
  router.head('/api/assets/:id/versions/:number/derivatives/:preset/content', handler);
  return router;
}
