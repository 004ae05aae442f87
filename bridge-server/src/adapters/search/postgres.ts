import type { FacetCount, SearchFacet, SearchHighlight } from '@stockroom/shared-types';
import type { Db } from '../../repositories/db.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { parseMarked } from './highlight.ts';
import { queryTerms } from './query-text.ts';
import { correctedQuery, type TermCandidates } from './spelling.ts';
import { documentSourceSql } from '../../repositories/search-documents.ts';
import type { IndexPage, IndexQuery, RebuildOptions, SearchIndex } from '../../ports/search-index.ts';

/** Serialises every write to search_documents, so an older read of an asset never overwrites a newer one. */
const WRITE_LOCK_KEY = 7370_0004;
/**
 * Work per search is bounded. A text search ranks and counts at most `textMatchLimit` assets
 * found by its words (plus the names that start with the text, so the exact name still comes
 * first); browsing (no text) counts at most `browseMatchLimit`, read from the filter indexes
 * only. Beyond these the total is a lower bound (flagged). A text search's facet and
 * upload-date counts come from the first `facetSample` of the assets counted (in id order,
 * which is random) and are scaled to the total when there are more (flagged), like
 * Typesense's facet_sample_percent; browsing counts them over every asset it counted.
 * Fetching the matching rows is what a search spends its time on, and counting tags the most
 * expensive facet (a few per asset).
 */
export interface SearchLimits {
  textMatchLimit: number;
  browseMatchLimit: number;
  facetSample: number;
}
export const SEARCH_LIMITS: SearchLimits = { textMatchLimit: 1_000, browseMatchLimit: 5_000, facetSample: 500 };
/** Names that start with the text, shortest (so the exact name) first. */
const NAME_PREFIX_LIMIT = 200;
/**
 * Typos are looked for only when the words as typed find fewer assets than this (as
 * Typesense's typo_tokens_threshold): a misspelling rarely matches anything, while the
 * corrected search costs most on common words, where it adds only noise.
 */
const TYPO_FALLBACK_BELOW = 20;
/** Name words shorter than this are not kept for corrections (no typo is forgiven in them). */
const MIN_CORRECTED_CHARS = 3;
/** Candidates read per term; the deletion variants of a short term are shared by few words. */
const CANDIDATES_PER_TERM = 200;
const TAG_FACET_SIZE = 20;
const MARK_START = '\u0002';
const MARK_END = '\u0003';

// Same normalisation for documents and queries: accents folded, lower case, punctuation → one space.
const keyOf = (sql: string) => `btrim(regexp_replace(lower(stockroom_unaccent(${sql})), '[^[:alnum:]]+', ' ', 'g'))`;

const UPSERT_COLUMNS = `"assetId", "collectionId", kind, name, "nameKey", description, tags, "tagKeys", "mimeType",
  orientation, "lockedById", "createdById", "headVersion", document, "createdAt", "updatedAt", "indexedAt"`;

function upsertSql(scope: string): string {
  return `
    INSERT INTO search_documents (${UPSERT_COLUMNS})
    SELECT s."assetId", s."collectionId", s.kind::"AssetKind", s.name, ${keyOf('s.name')}, s.description, s.tags,
           ARRAY(SELECT DISTINCT ${keyOf('t')} FROM unnest(s.tags) t), s."mimeType", s.orientation, s."lockedById",
           s."createdById", s."headVersion",
           setweight(to_tsvector('stockroom_search', stockroom_name_words(s.name)), 'A')
             || setweight(to_tsvector('stockroom_search', array_to_string(s.tags, ' ')), 'B')
             || setweight(to_tsvector('stockroom_search', s.description), 'C')
             || setweight(to_tsvector('stockroom_search', s."metadataText"), 'D'),
           s."createdAt", s."updatedAt", now()
      FROM (${documentSourceSql(scope)}) s
    ON CONFLICT ("assetId") DO UPDATE SET
      "collectionId" = EXCLUDED."collectionId", kind = EXCLUDED.kind, name = EXCLUDED.name, "nameKey" = EXCLUDED."nameKey",
      description = EXCLUDED.description, tags = EXCLUDED.tags, "tagKeys" = EXCLUDED."tagKeys",
      "mimeType" = EXCLUDED."mimeType", orientation = EXCLUDED.orientation, "lockedById" = EXCLUDED."lockedById", "createdById" = EXCLUDED."createdById",
      "headVersion" = EXCLUDED."headVersion", document = EXCLUDED.document, "createdAt" = EXCLUDED."createdAt",
      "updatedAt" = EXCLUDED."updatedAt", "indexedAt" = EXCLUDED."indexedAt"`;
}

// The words of the names of the given documents, and their deletion variants, for spelling
// corrections (see SearchWord and SearchWordVariant). Tokens with punctuation ("node.js") are
// left out: their parts are words of the name too (stockroom_name_words).
const ADD_WORDS_SQL = `
  WITH added AS (
    INSERT INTO search_words (word)
    SELECT DISTINCT w FROM search_documents d, unnest(tsvector_to_array(ts_filter(d.document, '{a}'))) w
     WHERE d."assetId" = ANY($1::uuid[]) AND length(w) >= ${MIN_CORRECTED_CHARS} AND w ~ '^[[:alnum:]]+$'
    ON CONFLICT DO NOTHING
    RETURNING word
  )
  INSERT INTO search_word_variants (variant, word)
  SELECT v, a.word FROM added a, stockroom_word_variants(a.word) v
  ON CONFLICT DO NOTHING`;

type RelevanceCursor = { s: number; n: string; id: string };
type NewestCursor = { u: string; id: string };
type NameCursor = { n: string; id: string };

const isRelevanceCursor = (v: unknown): v is RelevanceCursor => isRecord(v) && typeof v.s === 'number' && typeof v.n === 'string' && isUuid(v.id);
const isNewestCursor = (v: unknown): v is NewestCursor => isRecord(v) && typeof v.u === 'string' && !Number.isNaN(Date.parse(v.u)) && isUuid(v.id);
const isNameCursor = (v: unknown): v is NameCursor => isRecord(v) && typeof v.n === 'string' && isUuid(v.id);

interface HitRow {
  assetId: string;
  score: number;
  nameKey: string;
  updatedAt: string;
  nameMarked: string | null;
  descriptionMarked: string | null;
  matchedTags: string[] | null;
}

interface ResultRow {
  hits: HitRow[];
  total: number | bigint;
  /** How many of the assets counted the facets and upload-date counts were counted over. */
  sampled: number | bigint;
  facets: Record<string, { value: string | boolean | null; count: number }[] | null> | null;
  createdSince: Array<number | string> | null;
}

/**
 * Search in Postgres: a denormalised `search_documents` table (weighted tsvector,
 * normalised name and tags) kept in step by the indexer. Full text finds words and
 * prefixes; name words within one or two edits of a word forgive typos (spelling.ts).
 */
export class PostgresSearchIndex implements SearchIndex {
  readonly backend = 'postgres' as const;

  private readonly limits: SearchLimits;

  constructor(
    private readonly db: Db,
    limits: Partial<SearchLimits> = {},
  ) {
    this.limits = { ...SEARCH_LIMITS, ...limits };
  }

  async prepare(): Promise<void> {
    // The migrations create everything.
  }

  async sync(assetIds: readonly string[]): Promise<void> {
    if (assetIds.length === 0) return;
    const ids = [...new Set(assetIds)];
    await this.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', WRITE_LOCK_KEY);
      await tx.$executeRawUnsafe(upsertSql('a.id = ANY($1::uuid[])'), ids);
      await tx.$executeRawUnsafe(ADD_WORDS_SQL, ids);
      await tx.$executeRawUnsafe(
        `DELETE FROM search_documents d WHERE d."assetId" = ANY($1::uuid[])
           AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = d."assetId" AND a."deletedAt" IS NULL)`,
        ids,
      );
    });
  }

  async rebuild(options: RebuildOptions = {}): Promise<{ indexed: number }> {
    // In place, batch by batch in id order: searches go on against the current rows,
    // and each batch replaces its rows atomically. Rows of assets that are gone go last.
    const batchSize = options.batchSize ?? 5000;
    const startedAt = new Date();
    let after = '00000000-0000-0000-0000-000000000000';
    let indexed = 0;
    for (;;) {
      const ids = await this.db.$queryRawUnsafe<{ id: string }[]>(
        `SELECT id::text FROM assets WHERE id > $1::uuid AND "deletedAt" IS NULL ORDER BY id LIMIT $2`,
        after,
        batchSize,
      );
      if (ids.length === 0) break;
      const batch = ids.map((r) => r.id);
      await this.db.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', WRITE_LOCK_KEY);
          await tx.$executeRawUnsafe(upsertSql('a.id = ANY($1::uuid[])'), batch);
          await tx.$executeRawUnsafe(ADD_WORDS_SQL, batch);
        },
        { timeout: 120_000 },
      );
      indexed += batch.length;
      after = batch[batch.length - 1]!;
      options.onProgress?.(indexed);
    }
    await this.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', WRITE_LOCK_KEY);
      await tx.$executeRawUnsafe(
        `DELETE FROM search_documents d WHERE d."indexedAt" < $1
           AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.id = d."assetId" AND a."deletedAt" IS NULL)`,
        startedAt,
      );
    });
    return { indexed };
  }

  async count(): Promise<number> {
    const rows = await this.db.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM search_documents');
    return Number(rows[0]?.n ?? 0);
  }

  async search(query: IndexQuery): Promise<IndexPage> {
    // The text's queries and key are computed first, so the search statement gets them as
    // constants and Postgres can plan with real selectivities (and use the name index).
    const terms = queryTerms(query.text);
    const text = terms.length ? textQueryOf((await this.db.$queryRawUnsafe<TextQueryRow[]>(TEXT_QUERY_SQL, terms))[0]!) : undefined;
    // Tag keys too, so a common tag is planned as common (it then pages from the date index).
    const tags = query.filters.tags?.length ? (await this.db.$queryRawUnsafe<{ keys: string[] }[]>(TAG_KEYS_SQL, query.filters.tags))[0]!.keys : undefined;
    const built = buildSearchSql(query, text, tags, this.limits);
    const rows = await this.db.$queryRawUnsafe<ResultRow[]>(built.sql, ...built.params);
    const row = rows[0]!;
    const hits = row.hits ?? [];
    const page = hits.slice(0, query.limit);
    const last = page[page.length - 1];
    const total = Number(row.total);
    const totalIsEstimate = total >= built.matchLimit;
    const scale = scaleOf(total, Number(row.sampled));
    return {
      hits: page.map((hit) => ({ assetId: hit.assetId, highlights: highlightsOf(hit) })),
      facets: facetsOf(row.facets, scale),
      ...(query.createdSince?.length
        ? { createdSince: query.createdSince.map((value, i) => ({ value, count: scale(Number(row.createdSince?.[i] ?? 0)) })) }
        : {}),
      nextCursor: hits.length > query.limit && last ? encodeCursor(cursorOf(built.order, last)) : null,
      total,
      totalIsEstimate,
      facetsAreEstimate: totalIsEstimate || Number(row.sampled) < total,
    };
  }
}

type Order = 'relevance' | 'newest' | 'name';

/** The tsqueries (as text) and normalised key of the search terms. */
export interface TextQuery {
  /** Every word as typed: whole words, the last one also as the start of a word (it may be unfinished). */
  asTyped: string;
  wordsAll: string;
  prefixAny: string;
  /** Every word as typed or as one of the name words spelt like it. */
  corrected: string;
  key: string;
  /** The text with each misspelt word replaced by its closest correction. */
  correctedKey: string;
}

interface TextQueryRow extends Omit<TextQuery, 'corrected' | 'correctedKey'> {
  terms: TermCandidates[];
}

function textQueryOf(row: TextQueryRow): TextQuery {
  const corrected = correctedQuery(row.terms);
  return {
    asTyped: row.asTyped,
    wordsAll: row.wordsAll,
    prefixAny: row.prefixAny,
    key: row.key,
    corrected: corrected.tsquery,
    correctedKey: corrected.key,
  };
}

// Only the last word is a prefix (as in Typesense): the earlier ones were finished, and a
// prefix of a common word makes GIN merge the postings of every word that starts with it.
// Per term, the name words that share a deletion variant with it are the candidates for
// its corrections (found through the primary key of search_word_variants); spelling.ts
// keeps those within the allowed distance.
export const TEXT_QUERY_SQL = `
  SELECT to_tsquery('stockroom_search', (SELECT string_agg(format(CASE WHEN i = cardinality($1::text[]) THEN '%L:*' ELSE '%L' END, t), ' & ' ORDER BY i)
                                           FROM unnest($1::text[]) WITH ORDINALITY AS w(t, i)))::text AS "asTyped",
         to_tsquery('stockroom_search', (SELECT string_agg(format('%L', t), ' & ') FROM unnest($1::text[]) t))::text AS "wordsAll",
         to_tsquery('stockroom_search', (SELECT string_agg(format('%L:*', t), ' | ') FROM unnest($1::text[]) t))::text AS "prefixAny",
         (SELECT json_agg(json_build_object(
                   'term', n.term,
                   'query', to_tsquery('stockroom_search', format(CASE WHEN u.i = cardinality($1::text[]) THEN '%L:*' ELSE '%L' END, u.t))::text,
                   'words', ARRAY(SELECT DISTINCT v.word FROM search_word_variants v
                                   WHERE v.variant IN (SELECT stockroom_word_variants(n.term))
                                   LIMIT ${CANDIDATES_PER_TERM}))
                 ORDER BY u.i)
            FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i),
                 LATERAL (SELECT lower(stockroom_unaccent(u.t)) AS term) n) AS terms,
         ${keyOf(`array_to_string($1::text[], ' ')`)} AS key`;

/** The normalised keys of the tags of a tag filter. */
const TAG_KEYS_SQL = `SELECT ARRAY(SELECT ${keyOf('t')} FROM unnest($1::text[]) t) AS keys`;

function cursorOf(order: Order, hit: HitRow): RelevanceCursor | NewestCursor | NameCursor {
  if (order === 'relevance') return { s: hit.score, n: hit.nameKey, id: hit.assetId };
  if (order === 'newest') return { u: hit.updatedAt, id: hit.assetId };
  return { n: hit.nameKey, id: hit.assetId };
}

/** Builds the one statement that answers a search: page, total and facets. Exported for tests. */
export function buildSearchSql(
  query: IndexQuery,
  text: TextQuery | undefined,
  tagKeys?: string[],
  limits: SearchLimits = SEARCH_LIMITS,
): { sql: string; params: unknown[]; order: Order; matchLimit: number } {
  const params: unknown[] = [];
  const p = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const hasText = text !== undefined;
  const where: string[] = []; // filters and permissions; the text condition is apart
  const f = query.filters;

  if (query.readableCollectionIds !== 'all') {
    where.push(`(d."collectionId" IS NULL OR d."collectionId" = ANY(${p(query.readableCollectionIds, 'uuid[]')}))`);
  }
  const collections = [...(f.collectionIds ?? []), ...(f.collectionId ? [f.collectionId] : [])];
  if (f.collectionIds !== undefined || f.collectionId !== undefined) where.push(`d."collectionId" = ANY(${p(collections, 'uuid[]')})`);
  if (f.kind?.length) where.push(`d.kind = ANY(${p(f.kind, `"AssetKind"[]`)})`);
  if (f.tags?.length) {
    where.push(`d."tagKeys" @> ${tagKeys ? p(tagKeys, 'text[]') : `ARRAY(SELECT ${keyOf('t')} FROM unnest(${p(f.tags, 'text[]')}) t)`}`);
  }
  if (f.mimeType?.length) {
    const exact = f.mimeType.filter((m) => !m.endsWith('/*')).map((m) => m.toLowerCase());
    const families = f.mimeType.filter((m) => m.endsWith('/*')).map((m) => m.slice(0, -1).toLowerCase());
    // Family prefixes are compared with left(), not LIKE, so `%` and `_` in user input mean nothing.
    where.push(
      `(lower(d."mimeType") = ANY(${p(exact, 'text[]')}) OR EXISTS (SELECT 1 FROM unnest(${p(families, 'text[]')}) fam WHERE left(lower(d."mimeType"), length(fam)) = fam))`,
    );
  }
  if (f.orientation?.length) where.push(`d.orientation = ANY(${p(f.orientation, 'text[]')})`);
  if (f.locked !== undefined) where.push(f.locked ? `d."lockedById" IS NOT NULL` : `d."lockedById" IS NULL`);
  if (f.checkedOutByMe) where.push(`d."lockedById" = ${p(query.userId, 'uuid')}`);
  if (f.createdById?.length) where.push(`d."createdById" = ANY(${p(f.createdById, 'uuid[]')})`);
  // Review status is read live (a review changes no indexed text), for the indexed head version.
  if (f.reviewStatus?.length) {
    where.push(
      `EXISTS (SELECT 1 FROM version_reviews vr WHERE vr."assetId" = d."assetId" AND vr."versionNumber" = d."headVersion" AND vr.status::text = ANY(${p(f.reviewStatus, 'text[]')}))`,
    );
  }
  for (const [column, range] of [
    ['createdAt', f.createdAt],
    ['updatedAt', f.updatedAt],
  ] as const) {
    if (range?.from) where.push(`d."${column}" >= ${p(range.from, 'timestamptz')}`);
    if (range?.to) where.push(`d."${column}" <= ${p(range.to, 'timestamptz')}`);
  }

  let wordsMatch = 'FALSE';
  let typoMatch = 'FALSE';
  let nameStartsWith = 'FALSE';
  // numeric, not float: the score travels in the cursor and must compare equal when it comes back.
  let score = (_closeness: 'name' | 'spelling') => '0::numeric(12, 6)';
  let highlightColumns = `NULL::text AS "nameMarked", NULL::text AS "descriptionMarked", NULL::text[] AS "matchedTags"`;
  if (text) {
    const asTyped = p(text.asTyped, 'tsquery');
    const wordsAll = p(text.wordsAll, 'tsquery');
    const prefixAny = p(text.prefixAny, 'tsquery');
    const key = p(text.key, 'text');
    wordsMatch = `d.document @@ ${asTyped}`;
    // Typos: every word as typed or as one of the name words spelt like it (the corrections,
    // name words within one or two edits, see spelling.ts). A correction may match in any field: the
    // planner cannot tell how rare a word is in names alone (weights are not in its statistics),
    // and ranking puts name matches first anyway.
    typoMatch = `d.document @@ ${p(text.corrected, 'tsquery')}`;
    nameStartsWith = `(d."nameKey" >= ${key} AND d."nameKey" < ${key} || chr(1114111))`;
    // Closeness to the name: for words found as typed, how much of the name the text is when
    // the name contains it (so "Figma" comes before "Figma Plugin Banner"); for typos, trigram
    // similarity of the name to the text as corrected (it costs too much to compute for
    // thousands of word matches).
    const closeness = {
      name: `CASE WHEN strpos(d."nameKey", ${key}) > 0 THEN length(${key})::numeric / length(d."nameKey") ELSE 0 END`,
      spelling: `similarity(${p(text.correctedKey, 'text')}, d."nameKey")`,
    };
    // Exact name first, then names that start with the text, then whole words, then
    // weighted full-text rank (name > tags > description > metadata), then closeness to the name.
    score = (kind) => `(CASE WHEN d."nameKey" = ${key} THEN 8 ELSE 0 END
            + CASE WHEN left(d."nameKey", length(${key})) = ${key} THEN 3 ELSE 0 END
            + CASE WHEN d.document @@ ${wordsAll} THEN 1 ELSE 0 END
            + 2 * ts_rank(d.document, ${asTyped})
            + 3 * ${closeness[kind]})::numeric(12, 6)`;
    const opts = `'StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true'`;
    highlightColumns = `ts_headline('stockroom_search', d.name, ${prefixAny}, ${opts}) AS "nameMarked",
        ts_headline('stockroom_search', d.description, ${prefixAny}, 'StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=2') AS "descriptionMarked",
        ARRAY(SELECT t FROM unnest(d.tags) t WHERE to_tsvector('stockroom_search', t) @@ ${prefixAny}) AS "matchedTags"`;
  }

  const order: Order = query.sort === 'relevance' && !hasText ? 'newest' : query.sort;
  let orderBy: string;
  let after = 'TRUE';
  if (order === 'relevance') {
    orderBy = `m.score DESC, m."nameKey" ASC, m."assetId" ASC`;
    if (query.cursor) {
      const c = decodeCursor(query.cursor, isRelevanceCursor);
      const s = p(String(c.s), 'numeric');
      after = `(m.score < ${s} OR (m.score = ${s} AND (m."nameKey", m."assetId") > (${p(c.n, 'text')}, ${p(c.id, 'uuid')})))`;
    }
  } else if (order === 'newest') {
    orderBy = `m."updatedAt" DESC, m."assetId" DESC`;
    if (query.cursor) {
      const c = decodeCursor(query.cursor, isNewestCursor);
      after = `(m."updatedAt", m."assetId") < (${p(c.u, 'timestamptz')}, ${p(c.id, 'uuid')})`;
    }
  } else {
    orderBy = `m."nameKey" ASC, m."assetId" ASC`;
    if (query.cursor) {
      const c = decodeCursor(query.cursor, isNameCursor);
      after = `(m."nameKey", m."assetId") > (${p(c.n, 'text')}, ${p(c.id, 'uuid')})`;
    }
  }

  const facetSql = query.facets.map((facet) => `'${facet}', (${facetQuery(facet)})`);
  const filters = where.length ? where.join(' AND ') : 'TRUE';
  const limit = p(query.limit + 1, 'int');
  const hitsSql = (pageAlias: string) => `
      (SELECT coalesce(json_agg(h ORDER BY h.ord), '[]'::json) FROM (
         SELECT row_number() OVER (ORDER BY ${orderBy}) AS ord, m."assetId", m.score, m."nameKey",
                to_char(m."updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt",
                ${highlightColumns}
           FROM ${pageAlias} m JOIN search_documents d ON d."assetId" = m."assetId"
      ) h) AS hits`;
  const facetsSql = facetSql.length ? `json_build_object(${facetSql.join(', ')})` : 'NULL::json';
  const since = query.createdSince ?? [];
  // One count per instant, in the order asked, over the same sample as the facets.
  const sinceSql = since.length
    ? `(SELECT json_agg((SELECT count(*) FROM sample m WHERE m."createdAt" >= b.since) ORDER BY b.i)
         FROM unnest(${p(since, 'timestamptz[]')}) WITH ORDINALITY AS b(since, i))`
    : 'NULL::json';
  // A text search's m is in id order (DISTINCT ON), so its first rows are a random sample.
  // Browsing counts every asset it counted (its rows come in the filter index's order, no sample).
  const sampleSql = `sample AS MATERIALIZED (SELECT * FROM m LIMIT ${hasText ? limits.facetSample : limits.browseMatchLimit})`;
  const countsSql = `(SELECT count(*) FROM m) AS total, (SELECT count(*) FROM sample) AS sampled, ${facetsSql} AS facets, ${sinceSql} AS "createdSince"`;
  const columns = (closeness: 'name' | 'spelling') => `d."assetId", d."nameKey", d."updatedAt", d.kind, d."collectionId",
             d."tagKeys", d."mimeType", d.orientation, d."lockedById", d."createdById", d."createdAt", ${score(closeness)} AS score`;
  const sql = hasText
    ? `
    WITH words AS MATERIALIZED (
      SELECT ${columns('name')} FROM search_documents d WHERE ${filters} AND ${wordsMatch} LIMIT ${limits.textMatchLimit}
    ),
    names AS MATERIALIZED (
      SELECT ${columns('name')} FROM search_documents d WHERE ${filters} AND ${nameStartsWith}
       ORDER BY d."nameKey" LIMIT ${NAME_PREFIX_LIMIT}
    ),
    typos AS MATERIALIZED (
      SELECT ${columns('spelling')} FROM search_documents d
       WHERE (SELECT count(*) FROM (SELECT 1 FROM words LIMIT ${TYPO_FALLBACK_BELOW}) w) < ${TYPO_FALLBACK_BELOW}
         AND ${filters} AND ${typoMatch} LIMIT ${limits.textMatchLimit}
    ),
    m AS MATERIALIZED (
      SELECT DISTINCT ON ("assetId") * FROM (
        SELECT * FROM words UNION ALL SELECT * FROM names UNION ALL SELECT * FROM typos) c
       ORDER BY "assetId", score DESC
    ),
    page AS (SELECT m.* FROM m WHERE ${after} ORDER BY ${orderBy} LIMIT ${limit}),
    ${sampleSql}
    SELECT ${hitsSql('page')}, ${countsSql}`
    : `
    WITH page AS (
      SELECT m.* FROM (SELECT d."assetId", d."nameKey", d."updatedAt", 0::numeric(12, 6) AS score
                         FROM search_documents d WHERE ${filters}) m
       WHERE ${after} ORDER BY ${orderBy} LIMIT ${limit}
    ),
    m AS MATERIALIZED (
      SELECT d.kind, d."collectionId", d."tagKeys", d."mimeType", d.orientation, d."lockedById", d."createdById", d."createdAt"
        FROM search_documents d WHERE ${filters} LIMIT ${limits.browseMatchLimit}
    ),
    ${sampleSql}
    SELECT ${hitsSql('page')}, ${countsSql}`;
  return { sql, params, order, matchLimit: hasText ? limits.textMatchLimit : limits.browseMatchLimit };
}

function facetQuery(facet: SearchFacet): string {
  const top = (expr: string, from = 'sample m', limit = 100) =>
    `SELECT coalesce(json_agg(json_build_object('value', v, 'count', n) ORDER BY n DESC, v), '[]'::json)
       FROM (SELECT ${expr} AS v, count(*) AS n FROM ${from} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${limit}) f`;
  switch (facet) {
    case 'kind':
      return top('m.kind::text');
    case 'collectionId':
      return top('m."collectionId"::text');
    case 'mimeType':
      return top('m."mimeType"');
    case 'orientation':
      return top('m.orientation');
    case 'locked':
      return top('m."lockedById" IS NOT NULL');
    case 'createdById':
      return top('m."createdById"::text');
    case 'tags':
      return top('t', 'sample m, unnest(m."tagKeys") t', TAG_FACET_SIZE);
  }
}

/** Scales a count in the sample to the assets counted (a value seen in the sample is never scaled to 0). */
function scaleOf(total: number, sampled: number): (count: number) => number {
  if (sampled >= total || sampled === 0) return (count) => count;
  return (count) => (count === 0 ? 0 : Math.max(1, Math.round((count * total) / sampled)));
}

function facetsOf(raw: ResultRow['facets'], scale: (count: number) => number): Partial<Record<SearchFacet, FacetCount[]>> {
  const out: Partial<Record<SearchFacet, FacetCount[]>> = {};
  for (const [facet, counts] of Object.entries(raw ?? {})) {
    // Assets without a value (no collection, no head version yet) are not a facet value.
    out[facet as SearchFacet] = (counts ?? []).filter((c) => c.value !== null).map((c) => ({ value: String(c.value), count: scale(Number(c.count)) }));
  }
  return out;
}

function highlightsOf(hit: HitRow): SearchHighlight[] {
  const out: SearchHighlight[] = [];
  const name = hit.nameMarked ? parseMarked(hit.nameMarked, MARK_START, MARK_END) : null;
  if (name?.some((part) => part.match)) out.push({ field: 'name', parts: name });
  for (const tag of hit.matchedTags ?? []) out.push({ field: 'tags', parts: [{ text: tag, match: true }] });
  const description = hit.descriptionMarked ? parseMarked(hit.descriptionMarked, MARK_START, MARK_END) : null;
  if (description?.some((part) => part.match)) out.push({ field: 'description', parts: description });
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
