import { z } from 'zod';
import { assetKindSchema, idSchema, isoDate, userRefSchema } from './dto.ts';

// ---------------------------------------------------------------------------
// Brand kits: a collection marked as a brand kit, with ordered sections of assets,
// their allowed variants and usage notes (docs/figma.md).
// ---------------------------------------------------------------------------

/** `expired`: past `expiresAt`; `withdrawn`: taken out by a manager. Only `available` entries may be inserted. */
export const BRAND_ENTRY_STATES = ['available', 'expired', 'withdrawn'] as const;
export const brandEntryStateSchema = z.enum(BRAND_ENTRY_STATES);
export type BrandEntryState = z.infer<typeof brandEntryStateSchema>;

const variantName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9 -]{0,39}$/i, 'letters, digits, spaces and hyphens, at most 40');

/** A variant a designer may place (e.g. colour, mono, reversed): its own asset. */
export const brandVariantInputSchema = z.object({ name: variantName, assetId: idSchema });

export const brandVariantSchema = brandVariantInputSchema.extend({
  assetName: z.string(),
  kind: assetKindSchema,
  headVersion: z.number().int().nonnegative(),
  mimeType: z.string().nullable(),
});
export type BrandVariant = z.infer<typeof brandVariantSchema>;

export const brandEntrySchema = z.object({
  id: idSchema,
  sectionId: idSchema,
  /** The entry's main asset (its first variant). */
  assetId: idSchema,
  name: z.string(),
  kind: assetKindSchema,
  tags: z.array(z.string()),
  headVersion: z.number().int().nonnegative(),
  variants: z.array(brandVariantSchema).min(1),
  usageNotes: z.string(),
  expiresAt: isoDate.nullable(),
  withdrawnAt: isoDate.nullable(),
  withdrawnReason: z.string(),
  state: brandEntryStateSchema,
});
export type BrandEntry = z.infer<typeof brandEntrySchema>;

export const brandSectionSchema = z.object({
  id: idSchema,
  title: z.string(),
  position: z.number().int().nonnegative(),
  entries: z.array(brandEntrySchema),
});
export type BrandSection = z.infer<typeof brandSectionSchema>;

export const brandKitSchema = z.object({
  collectionId: idSchema,
  name: z.string(),
  description: z.string(),
  /** Send back as `baseUpdatedAt` when saving: a kit changed by somebody else meanwhile is never overwritten. */
  updatedAt: isoDate,
  sections: z.array(brandSectionSchema),
});
export type BrandKit = z.infer<typeof brandKitSchema>;

export const brandKitSummarySchema = z.object({
  collectionId: idSchema,
  name: z.string(),
  sections: z.number().int().nonnegative(),
  entries: z.number().int().nonnegative(),
  updatedAt: isoDate,
});
export type BrandKitSummary = z.infer<typeof brandKitSummarySchema>;

const title = z.string().trim().min(1, 'a section needs a title').max(200);

export const brandEntryInputSchema = z.object({
  /** At least one; the first is the default. Names must differ within an entry. */
  variants: z
    .array(brandVariantInputSchema)
    .min(1, 'an entry needs at least one variant')
    .max(20)
    .refine((v) => new Set(v.map((x) => x.name.toLowerCase())).size === v.length, 'variant names must differ'),
  usageNotes: z.string().max(5000).default(''),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
  withdrawn: z.boolean().default(false),
  withdrawnReason: z.string().max(1000).default(''),
});
export type BrandEntryInput = z.input<typeof brandEntryInputSchema>;

export const brandKitSaveParamsSchema = z.object({
  collectionId: idSchema,
  /** The kit's `updatedAt` this edit started from; absent only when marking a collection as a kit for the first time. */
  baseUpdatedAt: isoDate.optional(),
  sections: z.array(z.object({ title, entries: z.array(brandEntryInputSchema).max(500) })).max(50),
});

/** Headers of a brand asset's insertable content (GET BRAND_CONTENT_PATH). */
export const BRAND_CONTENT_HEADERS = {
  assetId: 'Stockroom-Asset-Id',
  version: 'Stockroom-Version',
  variant: 'Stockroom-Variant',
  /** `vector` (sanitised SVG) or `image` (PNG/JPEG/GIF, at most BRAND_MAX_IMAGE_SIDE a side). */
  insertAs: 'Stockroom-Insert-As',
  /** URI-encoded JSON list of what sanitising took out of an SVG, in words (empty list: nothing). */
  sanitised: 'Stockroom-Sanitised',
} as const;

/** Figma's createImage refuses larger images: the server downscales to this. */
export const BRAND_MAX_IMAGE_SIDE = 4096;

/** The insertable content of one entry's variant: `/api/brand-kits/{collectionId}/entries/{entryId}/content?variant=…`. */
export const brandContentPath = (collectionId: string, entryId: string, variant?: string) =>
  `/api/brand-kits/${collectionId}/entries/${entryId}/content${variant ? `?variant=${encodeURIComponent(variant)}` : ''}`;

const method = <P extends z.ZodType, R extends z.ZodType>(spec: { params: P; result: R; summary: string }) => spec;

export const brandMethods = {
  'brandKits.list': method({
    summary: 'The brand kits the caller may see.',
    params: z.object({}).default({}),
    result: z.object({ kits: z.array(brandKitSummarySchema) }),
  }),
  'brandKits.get': method({
    summary: 'One brand kit with its ordered sections. Expired and withdrawn entries only with includeUnavailable (for editors).',
    params: z.object({ collectionId: idSchema, includeUnavailable: z.boolean().default(false) }),
    result: brandKitSchema,
  }),
  'brandKits.save': method({
    summary: 'Mark a collection as a brand kit, or replace its sections and entries (managers of the collection).',
    params: brandKitSaveParamsSchema,
    result: brandKitSchema,
  }),
  'brandKits.remove': method({
    summary: 'Stop offering a collection as a brand kit (its assets stay).',
    params: z.object({ collectionId: idSchema }),
    result: z.object({ collectionId: idSchema }),
  }),
} as const;

/** Live: a brand kit was saved or removed; a picker showing it loads it again (readers of the collection). */
export const brandEvents = {
  'brandKit.changed': z.object({ collectionId: idSchema, removed: z.boolean(), by: userRefSchema }),
} as const;
