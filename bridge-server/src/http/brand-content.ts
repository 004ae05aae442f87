import express, { type Router } from 'express';
import { create as contentDisposition } from 'content-disposition';
import { z } from 'zod';
import { BRAND_CONTENT_HEADERS, StockroomError } from '@stockroom/shared-types';
import type { BrandContentService } from '../services/brand-content.ts';
import type { Authenticate } from './authenticate.ts';

const params = z.object({ collectionId: z.uuid(), entryId: z.uuid() });
const query = z.object({ variant: z.string().min(1).max(40).optional() });

/** GET /api/brand-kits/:collectionId/entries/:entryId/content — the head version of an entry's variant, ready to insert. */
export function brandContentRouter(content: BrandContentService, authenticate: Authenticate): Router {
  const router = express.Router();
  router.get('/api/brand-kits/:collectionId/entries/:entryId/content', async (req, res) => {
    const p = params.safeParse(req.params);
    const q = query.safeParse(req.query);
    if (!p.success || !q.success) {
      throw new StockroomError('VALIDATION_FAILED', 'Use /api/brand-kits/<collection id>/entries/<entry id>/content?variant=<name>.');
    }
    const actor = await authenticate(req);
    const found = await content.insertable(actor, p.data.collectionId, p.data.entryId, q.data.variant);
    const ext = found.mimeType === 'image/svg+xml' ? 'svg' : found.mimeType.split('/')[1];
    res.set({
      'Content-Type': found.mimeType,
      'Content-Length': String(found.bytes.byteLength),
      'Content-Disposition': contentDisposition(`${found.variant.variant}.${ext}`, { type: 'inline' }),
      // "The latest" moves with every check-in.
      'Cache-Control': 'private, no-cache',
      'Content-Security-Policy': 'sandbox',
      [BRAND_CONTENT_HEADERS.assetId]: found.variant.assetId,
      [BRAND_CONTENT_HEADERS.version]: String(found.variant.version.number),
      [BRAND_CONTENT_HEADERS.variant]: encodeURIComponent(found.variant.variant),
      [BRAND_CONTENT_HEADERS.insertAs]: found.insertAs,
      [BRAND_CONTENT_HEADERS.sanitised]: encodeURIComponent(JSON.stringify(found.removed)),
    });
    res.status(200).end(found.bytes);
  });
  return router;
}
