// The requests the Typesense backend sends, as plain data (unit-tested on their own).
import type { SearchFacet } from '@stockroom/shared-types';
import type { CollectionCreateSchema } from 'typesense/lib/Typesense/Collections.js';
import { nameWords } from './name-words.ts';
import { queryTerms } from './query-text.ts';
import type { SourceDocument } from '../../repositories/search-documents.ts';
import type { IndexQuery } from '../../ports/search-index.ts';

export const MARK_START = '\u0002';
export const MARK_END = '\u0003';
export const TAG_FACET_SIZE = 20;
/** collection_key of assets outside any collection. */
export const UNFILED = 'unfiled';

export function collectionSchema(name: string): CollectionCreateSchema {
  return {
    name,
    fields: [
      { name: 'name', type: 'string' },
      { name: 'name_key', type: 'string', sort: true },
      // The name split at dots, dashes, underscores and camel case (see name-words.ts).
      { name: 'name_words', type: 'string', optional: true },
      { name: 'description', type: 'string' },
      { name: 'tags', type: 'string[]' },
      { name: 'tag_keys', type: 'string[]', facet: true },
      { name: 'metadata_text', type: 'string' },
      { name: 'kind', type: 'string', facet: true },
      { name: 'collection_id', type: 'string', facet: true, optional: true },
      // collection_id, or UNFILED: a value that permission filters can name.
      { name: 'collection_key', type: 'string' },
      { name: 'mime_type', type: 'string', facet: true, optional: true },
      { name: 'mime_family', type: 'string', optional: true },
      { name: 'orientation', type: 'string', facet: true, optional: true },
      { name: 'locked', type: 'bool', facet: true },
      { name: 'locked_by', type: 'string', optional: true },
      { name: 'created_by', type: 'string', facet: true, optional: true },
      { name: 'head_version', type: 'int32' },
      { name: 'review_status', type: 'string', optional: true },
      { name: 'created_at', type: 'int64' },
      { name: 'updated_at', type: 'int64', sort: true },
    ],
    default_sorting_field: 'updated_at',
  };
}

export interface TypesenseDocument {
  id: string;
  name: string;
  name_key: string;
  name_words?: string;
  description: string;
  tags: string[];
  tag_keys: string[];
  metadata_text: string;
  kind: string;
  collection_id?: string;
  collection_key: string;
  mime_type?: string;
  mime_family?: string;
  orientation?: string;
  locked: boolean;
  locked_by?: string;
  created_by?: string;
  head_version: number;
  review_status?: string;
  created_at: number;
  updated_at: number;
}

/** Lower case, accents folded, punctuation as single spaces: the same key for documents and filters. */
export function foldKey(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function toTypesenseDocument(source: SourceDocument): TypesenseDocument {
  const doc: TypesenseDocument = {
    id: source.assetId,
    name: source.name,
    name_key: foldKey(source.name),
    description: source.description,
    tags: source.tags,
    tag_keys: [...new Set(source.tags.map(foldKey))],
    metadata_text: source.metadataText,
    kind: source.kind,
    collection_key: source.collectionId ?? UNFILED,
    locked: source.lockedById !== null,
    head_version: source.headVersion,
    created_at: new Date(source.createdAt).getTime(),
    updated_at: new Date(source.updatedAt).getTime(),
  };
  const words = nameWords(source.name);
  if (words) doc.name_words = words;
  if (source.collectionId) doc.collection_id = source.collectionId;
  if (source.mimeType) {
    doc.mime_type = source.mimeType.toLowerCase();
    doc.mime_family = doc.mime_type.split('/')[0];
  }
  if (source.orientation) doc.orientation = source.orientation;
  if (source.lockedById) doc.locked_by = source.lockedById;
  if (source.createdById) doc.created_by = source.createdById;
  if (source.reviewStatus) doc.review_status = source.reviewStatus;
  return doc;
}

/**
 * A filter_by value. Backticks delimit values (so commas, `&&`, `||`, `:` and
 * brackets inside are literal); Typesense has no escape for a backtick itself,
 * so it is removed.
 */
export function quoteValue(value: string): string {
  return `\`${value.replace(/`/g, '')}\``;
}

const list = (values: readonly string[]) => `[${values.map(quoteValue).join(',')}]`;

/** The filter_by string of a query, or null when nothing is filtered. */
export function buildFilterBy(query: IndexQuery): string | null {
  const f = query.filters;
  const clauses: string[] = [];
  if (query.readableCollectionIds !== 'all') clauses.push(`collection_key:=${list([UNFILED, ...query.readableCollectionIds])}`);
  const collections = [...(f.collectionIds ?? []), ...(f.collectionId ? [f.collectionId] : [])];
  if (f.collectionIds !== undefined || f.collectionId !== undefined) clauses.push(`collection_id:=${list(collections)}`);
  if (f.kind?.length) clauses.push(`kind:=${list(f.kind)}`);
  for (const tag of f.tags ?? []) clauses.push(`tag_keys:=${quoteValue(foldKey(tag))}`);
  if (f.mimeType?.length) {
    const exact = f.mimeType.filter((m) => !m.endsWith('/*')).map((m) => m.toLowerCase());
    const families = f.mimeType.filter((m) => m.endsWith('/*')).map((m) => m.slice(0, -2).toLowerCase());
    const either = [...(exact.length ? [`mime_type:=${list(exact)}`] : []), ...(families.length ? [`mime_family:=${list(families)}`] : [])];
    clauses.push(either.length === 1 ? either[0]! : `(${either.join(' || ')})`);
  }
  if (f.orientation?.length) clauses.push(`orientation:=${list(f.orientation)}`);
  if (f.locked !== undefined) clauses.push(`locked:=${f.locked}`);
  if (f.checkedOutByMe) clauses.push(`locked_by:=${quoteValue(query.userId)}`);
  if (f.createdById?.length) clauses.push(`created_by:=${list(f.createdById)}`);
  if (f.reviewStatus?.length) clauses.push(`review_status:=${list(f.reviewStatus)}`);
  for (const [field, range] of [
    ['created_at', f.createdAt],
    ['updated_at', f.updatedAt],
  ] as const) {
    if (range?.from) clauses.push(`${field}:>=${Date.parse(range.from)}`);
    if (range?.to) clauses.push(`${field}:<=${Date.parse(range.to)}`);
  }
  return clauses.length ? clauses.join(' && ') : null;
}

const FACET_FIELDS: Record<SearchFacet, string> = {
  kind: 'kind',
  collectionId: 'collection_id',
  tags: 'tag_keys',
  mimeType: 'mime_type',
  orientation: 'orientation',
  locked: 'locked',
  createdById: 'created_by',
};

export const FACET_OF_FIELD: Record<string, SearchFacet> = Object.fromEntries(
  Object.entries(FACET_FIELDS).map(([facet, field]) => [field, facet as SearchFacet]),
);

export interface TypesenseSearchParams {
  q: string;
  query_by: string;
  query_by_weights: string;
  prefix: boolean;
  num_typos: number;
  min_len_1typo: number;
  min_len_2typo: number;
  typo_tokens_threshold: number;
  drop_tokens_threshold: number;
  filter_by?: string;
  facet_by?: string;
  max_facet_values?: number;
  sort_by: string;
  page: number;
  per_page: number;
  include_fields: string;
  highlight_fields: string;
  highlight_start_tag: string;
  highlight_end_tag: string;
  highlight_full_fields: string;
}

/** Search parameters for a query on page `page` (1-based). */
export function buildSearchParams(query: IndexQuery, page: number): TypesenseSearchParams {
  const terms = queryTerms(query.text);
  const hasText = terms.length > 0;
  const sort = query.sort === 'relevance' && !hasText ? 'newest' : query.sort;
  const params: TypesenseSearchParams = {
    // Only letters and digits reach Typesense, so no user input is read as query syntax.
    q: hasText ? terms.join(' ') : '*',
    query_by: 'name,name_words,tags,description,metadata_text',
    query_by_weights: '8,7,4,2,1',
    prefix: true,
    num_typos: 2,
    // As the Postgres backend (spelling.ts): one typo from 3 letters (a deletion leaves
    // "nke" of Nike), two from 7.
    min_len_1typo: 3,
    min_len_2typo: 7,
    typo_tokens_threshold: 1,
    // Every word must match (as in the Postgres backend); never drop words to find more.
    drop_tokens_threshold: 0,
    sort_by: sort === 'relevance' ? '_text_match:desc,name_key:asc' : sort === 'newest' ? 'updated_at:desc' : 'name_key:asc',
    page,
    per_page: query.limit,
    include_fields: 'id',
    highlight_fields: 'name,tags,description,metadata_text',
    highlight_full_fields: 'name,tags',
    highlight_start_tag: MARK_START,
    highlight_end_tag: MARK_END,
  };
  const filterBy = buildFilterBy(query);
  if (filterBy) params.filter_by = filterBy;
  if (query.facets.length) {
    params.facet_by = query.facets.map((facet) => FACET_FIELDS[facet]).join(',');
    params.max_facet_values = 100;
  }
  return params;
}

/**
 * One count-only search per `createdSince` instant: the same query and filters, narrowed to
 * what was created at or after it. Counting with a filter needs no range facet, so the
 * collection schema (and every index already built with it) stays as it is.
 */
export function buildCreatedSinceParams(query: IndexQuery): TypesenseSearchParams[] {
  const base = buildSearchParams({ ...query, facets: [], cursor: undefined }, 1);
  return (query.createdSince ?? []).map((since) => {
    const clause = `created_at:>=${Date.parse(since)}`;
    return { ...base, per_page: 0, filter_by: base.filter_by ? `${base.filter_by} && ${clause}` : clause };
  });
}
