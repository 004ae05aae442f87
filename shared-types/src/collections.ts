import { z } from 'zod';
import { collectionSchema, idSchema } from './dto.ts';

/** Renaming and deleting collections; merged into `methods`. */
export const collectionMethods = {
  'collections.update': {
    summary: 'Rename a collection or change its description (managers of the collection, administrators).',
    params: z
      .object({ id: idSchema, name: z.string().trim().min(1, 'a name must not be empty').max(500).optional(), description: z.string().max(10_000).optional() })
      .refine((p) => p.name !== undefined || p.description !== undefined, 'give a new name or description'),
    result: collectionSchema,
  },
  'collections.delete': {
    summary:
      'Delete a collection without sub-collections. One that holds assets (also in the trash) is refused with CONFLICT unless `moveAssetsTo` names where they go (a collection id, or null for unfiled).',
    params: z.object({ id: idSchema, moveAssetsTo: idSchema.nullable().optional() }),
    result: z.object({ id: idSchema, movedAssets: z.number().int().nonnegative() }),
  },
} as const;
