import { z } from 'zod';
import { assetKindSchema, assetSchema, idSchema, tagSchema } from './dto.ts';
import { reviewStatusSchema } from './review.ts';

export const SEARCH_SORTS = ['relevance', 'newest', 'name'] as const;
export const searchSortSchema = z.enum(SEARCH_SORTS);
export type SearchSort = z.infer<typeof searchSortSchema>;

export const SEARCH_FACETS = ['kind', 'collectionId', 'tags', 'mimeType', 'orientation', 'locked', 'createdById'] as const;
export const searchFacetSchema = z.enum(SEARCH_FACETS);
export type SearchFacet = z.infer<typeof searchFacetSchema>;

export const ORIENTATIONS = ['landscape', 'portrait', 'square'] as const;
export const orientationSchema = z.enum(ORIENTATIONS);
export type Orientation = z.infer<typeof orientationSchema>;

const instant = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time such as 2026-01-31T12:00:00Z' });
export const dateRangeSchema = z.object({ from: instant.optional(), to: instant.optional() });
export type DateRange = z.infer<typeof dateRangeSchema>;

/** Every filter narrows the result (AND); a list inside one filter means any of its values (OR), except tags (all of them). */
export const searchFiltersSchema = z.object({
  kind: z.array(assetKindSchema).max(20).optional(),
  collectionId: idSchema.optional(),
  collectionIds: z.array(idSchema).max(1000).optional(),
  /** The asset must carry every one of these tags (case and accents ignored). */
  tags: z.array(tagSchema).max(50).optional(),
  /** Exact types (`image/png`) or whole families (`image/*`). */
  mimeType: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
  orientation: z.array(orientationSchema).max(3).optional(),
  locked: z.boolean().optional(),
  checkedOutByMe: z.boolean().optional(),
  /** The head version's review status is one of these (see reviews.set). */
  reviewStatus: z.array(reviewStatusSchema).min(1).max(3).optional(),
  createdAt: dateRangeSchema.optional(),
  updatedAt: dateRangeSchema.optional(),
  /** Uploaded (created) by any of these people. */
  createdById: z.array(idSchema).max(100).optional(),
});
export type SearchFilters = z.infer<typeof searchFiltersSchema>;

export const searchParamsSchema = z.object({
  /** Free text; empty browses. Anything is accepted: only letters and digits take part in matching. */
  q: z.string().max(100_000).default(''),
  filters: searchFiltersSchema.default({}),
  facets: z.array(searchFacetSchema).max(SEARCH_FACETS.length).default([]),
  /**
   * Count the matches created at or after each of these instants (the upload-date buckets:
   * the caller's local midnights, which only it knows). Answered in `createdSince`, in this order.
   */
  createdSince: z.array(instant).max(8).optional(),
  sort: searchSortSchema.default('relevance'),
  /** `nextCursor` of the previous page, with the same q, filters and sort. */
  cursor: z.string().max(2000).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** A piece of a matched field: render `match` parts emphasised. Plain text, never markup. */
export const highlightSchema = z.object({
  field: z.enum(['name', 'description', 'tags', 'metadata']),
  parts: z.array(z.object({ text: z.string(), match: z.boolean() })),
});
export type SearchHighlight = z.infer<typeof highlightSchema>;

export const facetCountSchema = z.object({ value: z.string(), count: z.number().int().nonnegative() });
export type FacetCount = z.infer<typeof facetCountSchema>;

export const searchHitSchema = z.object({
  asset: assetSchema,
  highlights: z.array(highlightSchema),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const searchResultSchema = z.object({
  hits: z.array(searchHitSchema),
  facets: z.partialRecord(searchFacetSchema, z.array(facetCountSchema)),
  /** One count per `createdSince` instant asked for (`value` is the instant as sent); bounded like the facet counts. */
  createdSince: z.array(facetCountSchema).optional(),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** How many assets match; exact unless `totalIsEstimate`. */
  total: z.number().int().nonnegative(),
  totalIsEstimate: z.boolean(),
  /**
   * The facet and `createdSince` counts were counted over a sample of the matches and scaled
   * to the total (or the total is an estimate): show them as approximate ("≈ 120").
   */
  facetsAreEstimate: z.boolean(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

const counts = new Intl.NumberFormat(undefined);

/**
 * How every client shows a count of the search answer, in the reader's locale: "1,200" when
 * exact, "≈ 1,200" when the server estimated it (`facetsAreEstimate`, `totalIsEstimate`).
 */
export function formatCount(n: number, approximate: boolean): string {
  return approximate ? `≈ ${counts.format(n)}` : counts.format(n);
}
