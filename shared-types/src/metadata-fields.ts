import { z } from 'zod';
import { idSchema, isoDate } from './dto.ts';

// ---------------------------------------------------------------------------
// Structured metadata: a collection's schema of typed fields, an asset's values for
// them (validated by the server field by field), and tag suggestions (docs/metadata.md).
// ---------------------------------------------------------------------------

export const FIELD_TYPES = ['text', 'number', 'date', 'choice', 'people', 'rights'] as const;
export const fieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof fieldTypeSchema>;

/**
 * Why one field's value was refused. Stable: clients switch on these, the message says
 * what to do. Sent in `error.data.fields` of a VALIDATION_FAILED answer.
 */
export const FIELD_ERROR_CODES = [
  'required',
  'unknown-field',
  'not-text',
  'too-long',
  'not-a-number',
  'out-of-range',
  'not-a-date',
  'not-a-choice',
  'unknown-person',
  'not-rights',
] as const;
export const fieldErrorCodeSchema = z.enum(FIELD_ERROR_CODES);
export type FieldErrorCode = z.infer<typeof fieldErrorCodeSchema>;
export const fieldErrorSchema = z.object({ field: z.string(), code: fieldErrorCodeSchema, message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const fieldKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a field key is lower-case letters, digits and _, starting with a letter, at most 40');

export const metadataFieldSchema = z.object({
  key: fieldKeySchema,
  label: z.string().trim().min(1, 'a field needs a label').max(80),
  type: fieldTypeSchema,
  required: z.boolean().default(false),
  help: z.string().trim().max(300).default(''),
  /** The allowed answers of a `choice` field. */
  options: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  /** Bounds of a `number` field. */
  min: z.number().finite().nullable().default(null),
  max: z.number().finite().nullable().default(null),
});
export type MetadataField = z.infer<typeof metadataFieldSchema>;

export const metadataFieldsSchema = z
  .array(metadataFieldSchema)
  .max(50)
  .superRefine((fields, ctx) => {
    const seen = new Set<string>();
    fields.forEach((f, i) => {
      if (seen.has(f.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: `the key “${f.key}” is used twice; give each field its own key` });
      seen.add(f.key);
      if (f.type === 'choice' && f.options.length === 0)
        ctx.addIssue({ code: 'custom', path: [i, 'options'], message: `the choice field “${f.label}” needs at least one option` });
      if (f.min !== null && f.max !== null && f.min > f.max)
        ctx.addIssue({ code: 'custom', path: [i, 'min'], message: `the lowest allowed value of “${f.label}” is above its highest` });
    });
  });

export const metadataSchemaDtoSchema = z.object({
  collectionId: idSchema,
  fields: z.array(metadataFieldSchema),
  /** null when the collection has no schema yet. */
  updatedAt: isoDate.nullable(),
});
export type MetadataSchemaDto = z.infer<typeof metadataSchemaDtoSchema>;

/** Usage rights and when they end (a date, YYYY-MM-DD, or null for no end). */
export const rightsValueSchema = z.object({ statement: z.string(), expiresAt: z.string().nullable() });
export type RightsValue = z.infer<typeof rightsValueSchema>;
/** A stored value: text/date/choice → string, number → number, people → user ids, rights → RightsValue. */
export const fieldValueSchema = z.union([z.string(), z.number(), z.array(idSchema), rightsValueSchema]);
export type FieldValue = z.infer<typeof fieldValueSchema>;

export const personSchema = z.object({ id: idSchema, name: z.string(), email: z.string() });

export const assetFieldsSchema = z.object({
  assetId: idSchema,
  collectionId: idSchema.nullable(),
  fields: z.array(metadataFieldSchema),
  values: z.record(z.string(), fieldValueSchema),
  /** The people the values name, and (for callers who may edit) the active accounts to choose from. */
  people: z.array(personSchema),
  canEdit: z.boolean(),
  /** Base for the next save; null when no value was ever saved. */
  updatedAt: isoDate.nullable(),
  /** True when a rights field's expiry date has passed. */
  rightsExpired: z.boolean(),
});
export type AssetFields = z.infer<typeof assetFieldsSchema>;

const method = <P extends z.ZodType, R extends z.ZodType>(spec: { params: P; result: R; summary: string }) => spec;

export const metadataMethods = {
  'metadata.getSchema': method({
    summary: 'The metadata schema of a collection: its typed fields in order (empty when it has none).',
    params: z.object({ collectionId: idSchema }),
    result: metadataSchemaDtoSchema,
  }),
  'metadata.saveSchema': method({
    summary: 'Replace the metadata schema of a collection (managers). Values of removed fields are kept but no longer shown.',
    params: z.object({ collectionId: idSchema, fields: metadataFieldsSchema, baseUpdatedAt: isoDate.nullable() }),
    result: metadataSchemaDtoSchema,
  }),
  'metadata.getFields': method({
    summary: "An asset's values for its collection's schema fields.",
    params: z.object({ assetId: idSchema }),
    result: assetFieldsSchema,
  }),
  'metadata.saveFields': method({
    summary: "Replace an asset's field values; every value is checked against the schema and refused field by field (error.data.fields).",
    params: z.object({ assetId: idSchema, values: z.record(z.string(), z.unknown()), baseUpdatedAt: isoDate.nullable() }),
    result: assetFieldsSchema,
  }),
  'metadata.suggestTags': method({
    summary: 'Existing tags that start with a prefix (or contain it), most used first, from assets the caller may read.',
    params: z.object({ prefix: z.string().trim().max(100).default('') }),
    result: z.object({ tags: z.array(z.object({ tag: z.string(), count: z.number().int().nonnegative() })) }),
  }),
} as const;
