// The query mix of the search benchmark and the naive ILIKE baseline it is compared with.
import type { createPrismaClient } from '@stockroom/prisma';
import type { SearchFacet, SearchFilters } from '@stockroom/shared-types';
import { queryTerms } from '../../bridge-server/src/adapters/search/query-text.ts';
import type { IndexQuery } from '../../bridge-server/src/ports/search-index.ts';
import { brandWords, PHOTO_WORDS, skewedPick } from './corpus.ts';

export interface BenchQuery {
  type: string;
  query: IndexQuery;
}

/** The mix a panel sends: mostly words as typed (some misspelt, some unfinished), some filters, facets on half. */
export function makeQueries(count: number, collections: string[], userId: string): BenchQuery[] {
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const brands = brandWords();
  const word = () => (random() < 0.5 ? skewedPick(brands, random) : skewedPick(PHOTO_WORDS, random));
  const typo = (w: string) => {
    const i = 1 + Math.floor(random() * (w.length - 2));
    const kind = random();
    if (kind < 0.33) return w.slice(0, i) + w.slice(i + 1); // deletion
    if (kind < 0.66) return w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2); // transposition
    return w.slice(0, i) + 'aeiou'[Math.floor(random() * 5)] + w.slice(i + 1); // substitution
  };
  const facetSets: SearchFacet[][] = [[], ['kind', 'collectionId', 'tags']];
  const out: BenchQuery[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    let type: string;
    let text = '';
    let filters: SearchFilters = {};
    if (r < 0.3) {
      type = 'word';
      text = word();
    } else if (r < 0.45) {
      type = 'two words';
      text = `${word()} ${word()}`;
    } else if (r < 0.6) {
      type = 'prefix';
      const w = word();
      text = w.slice(0, Math.max(2, Math.min(w.length, 3 + Math.floor(random() * 3))));
    } else if (r < 0.75) {
      type = 'typo';
      let w = word();
      while (w.length < 5) w = word();
      text = typo(w);
    } else if (r < 0.9) {
      type = 'word + filter';
      text = word();
      filters = random() < 0.5 ? { kind: ['image'] } : { collectionIds: [collections[Math.floor(random() * collections.length)]!] };
    } else {
      type = 'browse + filter';
      filters = random() < 0.5 ? { kind: ['video'], orientation: ['portrait'] } : { tags: [skewedPick(PHOTO_WORDS, random)] };
    }
    out.push({
      type,
      query: {
        text,
        filters,
        readableCollectionIds: 'all',
        userId,
        facets: facetSets[Math.floor(random() * 2)]!,
        sort: 'relevance',
        cursor: undefined,
        limit: 50,
      },
    });
  }
  return out;
}

/** What one writes without a search engine: ILIKE on each term, newest first, plus a count. */
export async function ilikeSearch(db: ReturnType<typeof createPrismaClient>, query: IndexQuery): Promise<void> {
  const terms = queryTerms(query.text).map((t) => `%${t.replace(/[\\%_]/g, '\\$&')}%`);
  const params: unknown[] = [];
  const where = ['a."deletedAt" IS NULL'];
  for (const term of terms) {
    params.push(term);
    const p = `$${params.length}`;
    where.push(`(a.name ILIKE ${p} OR a.description ILIKE ${p} OR array_to_string(a.tags, ' ') ILIKE ${p})`);
  }
  if (query.filters.kind) {
    params.push(query.filters.kind);
    where.push(`a.kind::text = ANY($${params.length}::text[])`);
  }
  if (query.filters.collectionIds) {
    params.push(query.filters.collectionIds);
    where.push(`a."collectionId" = ANY($${params.length}::uuid[])`);
  }
  if (query.filters.tags) {
    params.push(query.filters.tags);
    where.push(`a.tags @> $${params.length}::text[]`);
  }
  const sql = `FROM assets a WHERE ${where.join(' AND ')}`;
  await db.$queryRawUnsafe(`SELECT a.id ${sql} ORDER BY a."updatedAt" DESC LIMIT 50`, ...params);
  await db.$queryRawUnsafe(`SELECT count(*) ${sql}`, ...params);
}
