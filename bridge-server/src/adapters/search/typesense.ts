import type { FacetCount, SearchFacet, SearchHighlight } from '@stockroom/shared-types';
import type { Db } from '../../repositories/db.ts';
import { Client } from 'typesense';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { parseMarked } from './highlight.ts';
import { readSearchDocuments, readSearchDocumentsAfter, underAdvisoryLock } from '../../repositories/search-documents.ts';
import {
  buildSearchParams,
  collectionSchema,
  buildCreatedSinceParams,
  FACET_OF_FIELD,
  MARK_END,
  MARK_START,
  quoteValue,
  TAG_FACET_SIZE,
  toTypesenseDocument,
  type TypesenseDocument,
} from './typesense-requests.ts';
import type { IndexPage, IndexQuery, RebuildOptions, SearchIndex } from '../../ports/search-index.ts';

export interface TypesenseOptions {
  /** One node, or every node of a Typesense cluster (the client spreads requests and fails over). */
  url: string | readonly string[];
  apiKey: string;
  /** Alias that searches go to; collections behind it are `<alias>_<timestamp>`. */
  alias?: string;
}

type PageCursor = { p: number };
const isPageCursor = (v: unknown): v is PageCursor => typeof v === 'object' && v !== null && Number.isInteger((v as PageCursor).p) && (v as PageCursor).p > 1;

const HIGHLIGHT_FIELDS: Record<string, SearchHighlight['field']> = {
  name: 'name',
  tags: 'tags',
  description: 'description',
  metadata_text: 'metadata',
};

interface HighlightValue {
  snippet?: string;
  value?: string;
  matched_tokens?: unknown[];
}

/**
 * Search in Typesense through the official client. Searches go to an alias, so a
 * rebuild fills a fresh collection and then points the alias at it.
 */
export class TypesenseSearchIndex implements SearchIndex {
  readonly backend = 'typesense' as const;
  readonly alias: string;
  private readonly client: Client;

  constructor(
    private readonly db: Db,
    options: TypesenseOptions,
  ) {
    this.alias = options.alias ?? 'stockroom_assets';
    this.client = new Client({
      nodes: (typeof options.url === 'string' ? [options.url] : options.url).map((url) => ({ url })),
      apiKey: options.apiKey,
      connectionTimeoutSeconds: 10,
      numRetries: 3,
      retryIntervalSeconds: 0.2,
      logLevel: 'warn',
    });
  }

  /**
   * Creates the collection and its alias on the first start. Two workers starting at
   * once would each find no alias and each create a collection; a Postgres advisory
   * lock (held for this transaction) lets one do it and the other find it done.
   */
  async prepare(): Promise<void> {
    if (await this.aliasExists()) return;
    await underAdvisoryLock(this.db, `typesense-prepare:${this.alias}`, async () => {
      if (await this.aliasExists()) return;
      const name = `${this.alias}_${Date.now()}`;
      await this.client.collections().create(collectionSchema(name));
      await this.client.aliases().upsert(this.alias, { collection_name: name });
    });
  }

  private async aliasExists(): Promise<boolean> {
    try {
      await this.client.aliases(this.alias).retrieve();
      return true;
    } catch (error) {
      if (!isNotFound(error)) throw error;
      return false;
    }
  }

  async sync(assetIds: readonly string[]): Promise<void> {
    if (assetIds.length === 0) return;
    const ids = [...new Set(assetIds)];
    const docs = (await readSearchDocuments(this.db, ids)).map(toTypesenseDocument);
    await this.upsert(this.alias, docs);
    const live = new Set(docs.map((d) => d.id));
    const gone = ids.filter((id) => !live.has(id));
    if (gone.length) {
      await this.client
        .collections<TypesenseDocument>(this.alias)
        .documents()
        .delete({ filter_by: `id:[${gone.map(quoteValue).join(',')}]` });
    }
  }

  async rebuild(options: RebuildOptions = {}): Promise<{ indexed: number }> {
    const batchSize = options.batchSize ?? 2000;
    const previous = await this.currentCollection();
    const name = `${this.alias}_${Date.now()}`;
    await this.client.collections().create(collectionSchema(name));
    let after = '00000000-0000-0000-0000-000000000000';
    let indexed = 0;
    try {
      for (;;) {
        const docs = (await readSearchDocumentsAfter(this.db, after, batchSize)).map(toTypesenseDocument);
        if (docs.length === 0) break;
        await this.upsert(name, docs);
        indexed += docs.length;
        after = docs[docs.length - 1]!.id;
        options.onProgress?.(indexed);
      }
    } catch (error) {
      await this.client
        .collections(name)
        .delete()
        .catch(() => {});
      throw error;
    }
    await this.client.aliases().upsert(this.alias, { collection_name: name });
    if (previous)
      await this.client
        .collections(previous)
        .delete()
        .catch(() => {});
    return { indexed };
  }

  async count(): Promise<number> {
    const info = await this.client.collections(this.alias).retrieve();
    return info.num_documents;
  }

  async search(query: IndexQuery): Promise<IndexPage> {
    const page = query.cursor ? decodeCursor(query.cursor, isPageCursor).p : 1;
    const documents = this.client.collections<TypesenseDocument>(this.alias).documents();
    const [result, ...since] = await Promise.all([
      documents.search(buildSearchParams(query, page)),
      ...buildCreatedSinceParams(query).map((params) => documents.search(params)),
    ]);
    const hits = (result.hits ?? []).map((hit) => ({
      assetId: hit.document.id,
      highlights: highlightsOf(hit.highlight as Record<string, HighlightValue | HighlightValue[]> | undefined),
    }));
    const facets: Partial<Record<SearchFacet, FacetCount[]>> = {};
    for (const facet of query.facets) facets[facet] = [];
    for (const counts of result.facet_counts ?? []) {
      const facet = FACET_OF_FIELD[String(counts.field_name)];
      if (!facet) continue;
      const values = counts.counts.map((c) => ({ value: String(c.value), count: c.count }));
      facets[facet] = facet === 'tags' ? values.slice(0, TAG_FACET_SIZE) : values;
    }
    const found = result.found ?? 0;
    return {
      hits,
      facets,
      ...(query.createdSince?.length ? { createdSince: query.createdSince.map((value, i) => ({ value, count: since[i]?.found ?? 0 })) } : {}),
      nextCursor: page * query.limit < found ? encodeCursor({ p: page + 1 }) : null,
      total: found,
      totalIsEstimate: false,
      // Typesense counts facets over every match unless facet sampling is asked for (it is not).
      facetsAreEstimate: false,
    };
  }

  private async upsert(collection: string, docs: TypesenseDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const results = await this.client.collections<TypesenseDocument>(collection).documents().import(docs, { action: 'upsert' });
    const failed = results.filter((r) => !r.success);
    if (failed.length) throw new Error(`Typesense refused ${failed.length} documents: ${failed[0]?.error ?? 'unknown error'}`);
  }

  private async currentCollection(): Promise<string | null> {
    try {
      return (await this.client.aliases(this.alias).retrieve()).collection_name;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }
}

function highlightsOf(highlight: Record<string, HighlightValue | HighlightValue[]> | undefined): SearchHighlight[] {
  const out: SearchHighlight[] = [];
  for (const [field, value] of Object.entries(highlight ?? {})) {
    const target = HIGHLIGHT_FIELDS[field];
    if (!target) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      const marked = item.value ?? item.snippet;
      if (!marked || !item.matched_tokens?.length) continue;
      out.push({ field: target, parts: parseMarked(marked, MARK_START, MARK_END) });
    }
  }
  const order = ['name', 'tags', 'description', 'metadata'];
  return out.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { httpStatus?: number }).httpStatus === 404;
}
