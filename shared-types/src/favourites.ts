import { z } from 'zod';
import { idSchema } from './dto.ts';

// ---------------------------------------------------------------------------
// A person's starred assets, kept by the server so that they follow the person from
// Photoshop to Premiere Pro to another computer. Nobody else sees them.
// ---------------------------------------------------------------------------

/** Most favourites one person may keep. */
export const FAVOURITES_LIMIT = 500;

export const favouriteMethods = {
  'favourites.list': {
    summary: 'Your starred assets, most recently starred first (only live assets you can still read).',
    params: z.object({}).default({}),
    result: z.object({ assetIds: z.array(idSchema) }),
  },
  'favourites.set': {
    summary: `Star or unstar an asset for yourself (at most ${FAVOURITES_LIMIT}). Unstarring one that is not starred is not an error.`,
    params: z.object({ assetId: idSchema, starred: z.boolean() }),
    result: z.object({ assetId: idSchema, starred: z.boolean() }),
  },
  'favourites.import': {
    summary:
      'Add stars kept elsewhere (a panel that kept them on the computer) to yours; assets that no longer exist or that you cannot read are skipped. Returns the whole list.',
    params: z.object({ assetIds: z.array(idSchema).max(FAVOURITES_LIMIT) }),
    result: z.object({ assetIds: z.array(idSchema) }),
  },
} as const;

/** Live: one of your stars changed (from another app or computer of yours). Only you receive it. */
export const favouriteEvents = {
  'favourites.changed': z.object({ userId: idSchema, assetId: idSchema, starred: z.boolean() }),
} as const;
