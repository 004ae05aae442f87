import type { MethodParsedParams, Placement } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { livePlaces } from '../repositories/assets.ts';
import type { Db } from '../repositories/db.ts';
import { placementRows } from '../repositories/placements.ts';
import { toPlacement } from './mappers.ts';

/** Which document uses which version of which asset: "where used", and "update available". */
export class PlacementsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
  ) {}

  /** Replaces what is known of one document with what the host reports now. */
  async report(actor: Actor, params: MethodParsedParams<'placements.report'>): Promise<Placement[]> {
    this.access.assert(actor, 'placement.report');
    const assetIds = [...new Set(params.placements.map((p) => p.assetId))];
    const known = await livePlaces(this.db, assetIds);
    // Assets the caller may not read are reported as missing, so their existence does not leak.
    const knownIds = new Set(known.filter((a) => this.access.can(actor, 'asset.read', { collectionId: a.collectionId })).map((a) => a.id));
    const missing = assetIds.filter((id) => !knownIds.has(id));
    if (missing.length > 0) {
      throw new StockroomError('NOT_FOUND', 'Some placed assets no longer exist in Stockroom; they cannot be tracked.', { assetIds: missing });
    }
    await this.db.$transaction(async (tx) => {
      await placementRows.replaceDocument(
        tx,
        params.documentId,
        params.placements.map((p) => ({
          assetId: p.assetId,
          versionNumber: p.versionNumber,
          itemId: p.itemId,
          linked: p.linked,
          documentId: params.documentId,
          documentName: params.documentName,
          app: actor.clientApp,
          userId: actor.user.id,
        })),
      );
    });
    return this.list(actor, { documentId: params.documentId });
  }

  async list(actor: Actor, params: { assetId?: string; documentId?: string }): Promise<Placement[]> {
    const rows = await placementRows.find(this.db, params);
    return rows.filter((r) => this.access.can(actor, 'asset.read', { collectionId: r.asset.collectionId })).map(toPlacement);
  }
}
