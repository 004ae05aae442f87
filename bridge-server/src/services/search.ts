import type { Asset, MethodParsedParams, SearchResult } from '@stockroom/shared-types';
import type { ReadableCollections, SearchIndex } from '../ports/search-index.ts';
import type { Actor } from './actor.ts';
import { liveAssets } from '../repositories/assets.ts';
import type { Db } from '../repositories/db.ts';
import { toAsset } from './mappers.ts';

/** The part of the access policy search needs: which collections the caller may read. */
export interface ReadAccess {
  readableCollectionIds?(actor: Actor): ReadableCollections;
}

/**
 * assets.search: the index finds and ranks, the database has the last word. Hits
 * are read back from the database, so a result never shows an asset that was
 * deleted or moved out of reach since it was indexed, and always shows its
 * current name, head version and lock.
 */
export class SearchService {
  constructor(
    private readonly db: Db,
    private readonly access: ReadAccess,
    private readonly index: SearchIndex,
  ) {}

  get backend(): string {
    return this.index.backend;
  }

  async search(actor: Actor, params: MethodParsedParams<'assets.search'>): Promise<SearchResult> {
    // Today every signed-in user may read everything unless the policy says otherwise.
    const readable = this.access.readableCollectionIds?.(actor) ?? 'all';
    const page = await this.index.search({
      text: params.q,
      filters: params.filters,
      readableCollectionIds: readable,
      userId: actor.user.id,
      facets: params.facets,
      ...(params.createdSince ? { createdSince: params.createdSince } : {}),
      sort: params.sort,
      cursor: params.cursor,
      limit: params.limit,
    });
    const ids = page.hits.map((hit) => hit.assetId);
    const rows = ids.length ? await liveAssets(this.db, ids) : [];
    const byId = new Map<string, Asset>(rows.map((row) => [row.id, toAsset(row)]));
    const visible = (asset: Asset) => readable === 'all' || asset.collectionId === null || readable.includes(asset.collectionId);
    const hits = page.hits.flatMap((hit) => {
      const asset = byId.get(hit.assetId);
      return asset && visible(asset) ? [{ asset, highlights: hit.highlights }] : [];
    });
    return {
      hits,
      facets: page.facets,
      ...(page.createdSince ? { createdSince: page.createdSince } : {}),
      nextCursor: page.nextCursor,
      total: page.total,
      totalIsEstimate: page.totalIsEstimate,
      facetsAreEstimate: page.facetsAreEstimate,
    };
  }
}
