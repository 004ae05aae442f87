import type { FacetCount, SearchFacet, SearchFilters, SearchHighlight, SearchSort } from '@stockroom/shared-types';

/** Which collections the caller may read: every one, or these (unfiled assets are readable by every member). */
export type ReadableCollections = string[] | 'all';

/** A search as the index sees it: validated, permission filter attached. */
export interface IndexQuery {
  /** The user's text as typed (possibly empty or hostile); each backend normalises it with `queryTerms`. */
  text: string;
  filters: SearchFilters;
  readableCollectionIds: ReadableCollections;
  /** The caller, for `checkedOutByMe`. */
  userId: string;
  facets: SearchFacet[];
  /** Instants to count the matches created at or after (see `assets.search`); none: no counts. */
  createdSince?: string[];
  sort: SearchSort;
  cursor: string | undefined;
  limit: number;
}

export interface IndexHit {
  assetId: string;
  highlights: SearchHighlight[];
}

export interface IndexPage {
  hits: IndexHit[];
  facets: Partial<Record<SearchFacet, FacetCount[]>>;
  /** One count per `createdSince` instant, in order, when any were asked for. */
  createdSince?: FacetCount[];
  nextCursor: string | null;
  total: number;
  totalIsEstimate: boolean;
  /** The facet and createdSince counts are estimates (counted over a sample, or the total is one). */
  facetsAreEstimate: boolean;
}

export interface RebuildOptions {
  batchSize?: number;
  onProgress?: (indexed: number) => void;
}

/**
 * A search backend. The index holds a copy of what it needs of each live asset;
 * `sync` makes that copy agree with the database (whatever the change was), so the
 * indexer never has to know what changed, only which assets.
 */
export interface SearchIndex {
  readonly backend: 'postgres' | 'typesense';
  /** Creates what the backend needs (collection, alias...). Safe to call on every start. */
  prepare(): Promise<void>;
  /** Upserts the live assets among `assetIds` from the database and removes the others. */
  sync(assetIds: readonly string[]): Promise<void>;
  search(query: IndexQuery): Promise<IndexPage>;
  /** Rebuilds the whole index from the database while searches keep being answered. */
  rebuild(options?: RebuildOptions): Promise<{ indexed: number }>;
  /** Number of documents in the index (for admin stats). */
  count(): Promise<number>;
}
