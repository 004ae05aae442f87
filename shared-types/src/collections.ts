import { z } from 'zod';
import { collectionSchema, idSchema } from './dto.ts';

/** Renaming, moving and deleting collections; merged into `methods`. */
export const collectionMethods = {
  'collections.update': {
    summary: 'Rename a collection or change its description (managers of the collection, administrators).',
    params: z
      .object({ id: idSchema, name: z.string().trim().min(1, 'a name must not be empty').max(500).optional(), description: z.string().max(10_000).optional() })
      .refine((p) => p.name !== undefined || p.description !== undefined, 'give a new name or description'),
    result: collectionSchema,
  },
  'collections.move': {
    summary:
      'Move a collection (with its sub-collections) under another one, or to the top level with `parentId` null (managers of the collection and of the new parent; administrators for the top level). A move into itself or one of its own sub-collections is refused with CONFLICT and `data.reason` "COLLECTION_CYCLE".',
    params: z.object({ id: idSchema, parentId: idSchema.nullable() }),
    result: collectionSchema,
  },
  'collections.delete': {
    summary:
      'Delete a collection without sub-collections. One that holds assets (also in the trash) is refused with CONFLICT unless `moveAssetsTo` names where they go (a collection id, or null for unfiled).',
    params: z.object({ id: idSchema, moveAssetsTo: idSchema.nullable().optional() }),
    result: z.object({ id: idSchema, movedAssets: z.number().int().nonnegative() }),
  },
} as const;
