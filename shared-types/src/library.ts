import { z } from 'zod';
import { assetSchema, idSchema, tagSchema } from './dto.ts';
import { searchFiltersSchema } from './search.ts';

/** The most assets one bulk action (or one zip download) takes. */
export const BULK_LIMIT = 5000;
export const ZIP_LIMIT = 500;

/** The assets a bulk action applies to: the ones ticked, or every asset matching a search ("select all matching"). */
export const bulkSelectionSchema = z.union([
  z.object({ ids: z.array(idSchema).min(1, 'select at least one asset').max(BULK_LIMIT) }),
  z.object({ query: z.object({ q: z.string().max(10_000).default(''), filters: searchFiltersSchema.default({}) }) }),
]);
export type BulkSelection = z.infer<typeof bulkSelectionSchema>;

export const bulkActionSchema = z.discriminatedUnion('type', [
  z
    .object({ type: z.literal('tag'), add: z.array(tagSchema).max(50).default([]), remove: z.array(tagSchema).max(50).default([]) })
    .refine((a) => a.add.length + a.remove.length > 0, 'name at least one tag to add or remove'),
  /** collectionId null: out of every collection (unfiled). */
  z.object({ type: z.literal('move'), collectionId: idSchema.nullable() }),
  /** To the trash; restorable until the retention period ends. */
  z.object({ type: z.literal('delete') }),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

export const bulkFailureSchema = z.object({ assetId: idSchema, name: z.string(), code: z.string(), message: z.string() });
export const bulkResultSchema = z.object({
  /** How many assets the selection named. */
  matched: z.number().int().nonnegative(),
  /** How many were changed. */
  done: z.number().int().nonnegative(),
  /** Those that could not be changed (for example checked out by somebody else), each with the reason. */
  failed: z.array(bulkFailureSchema),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;

export const trashParamsSchema = z
  .object({ cursor: z.string().max(200).optional(), limit: z.number().int().min(1).max(200).default(50) })
  .default({ limit: 50 });
export const trashResultSchema = z.object({
  assets: z.array(assetSchema),
  nextCursor: z.string().nullable(),
  total: z.number().int().nonnegative(),
  /** Deleted assets are removed for good this many days after deletion. */
  retentionDays: z.number().int().positive(),
});

/** Trash, restore and bulk actions of the library; merged into `methods`. */
export const libraryMethods = {
  'library.bulk': {
    summary: `Tag, move or delete (to the trash) many assets at once: the ids given, or every asset matching a search (at most ${BULK_LIMIT}). Each asset needs the same permission as the single action.`,
    params: z.object({ selection: bulkSelectionSchema, action: bulkActionSchema }),
    result: bulkResultSchema,
  },
  'library.trash': {
    summary: 'Deleted assets the caller may restore, most recently deleted first, with the retention period.',
    params: trashParamsSchema,
    result: trashResultSchema,
  },
  'library.restore': {
    summary: 'Bring deleted assets back from the trash (the permission to delete them is needed).',
    params: z.object({ ids: z.array(idSchema).min(1, 'name at least one asset').max(BULK_LIMIT) }),
    result: bulkResultSchema,
  },
  'library.duplicates': {
    summary: 'Which of these SHA-256 digests are already the bytes of a live asset the caller may read (to offer a choice before uploading a file again).',
    params: z.object({
      sha256: z
        .array(z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex SHA-256'))
        .min(1)
        .max(200),
    }),
    result: z.object({
      matches: z.array(z.object({ sha256: z.string(), assets: z.array(z.object({ id: idSchema, name: z.string(), collectionId: idSchema.nullable() })) })),
    }),
  },
  'library.thumbnails': {
    summary: 'The ready 256 px thumbnails of these assets’ head versions (one call for a page of the library grid; assets without one are left out).',
    params: z.object({ assetIds: z.array(idSchema).min(1).max(200) }),
    result: z.object({ thumbnails: z.array(z.object({ assetId: idSchema, versionNumber: z.number().int().positive(), url: z.string() })) }),
  },
} as const;

export const libraryEvents = {
  /** A deleted asset is back from the trash. */
  'asset.restored': z.object({ asset: assetSchema }),
} as const;

/** `GET /api/library/download.zip?ids=…`: the head versions of these assets, as one streamed zip. */
export const zipDownloadQuerySchema = z.object({
  ids: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(idSchema).min(1, 'name at least one asset id').max(ZIP_LIMIT, `at most ${ZIP_LIMIT} assets per zip; download in parts`)),
});
