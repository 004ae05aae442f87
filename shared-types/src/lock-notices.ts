import { z } from 'zod';
import { idSchema, isoDate, userRefSchema } from './dto.ts';

// ---------------------------------------------------------------------------
// Locks of yours that somebody else removed: the live `asset.unlocked` event tells a
// connected panel at once; a panel that was offline asks for what it missed.
// ---------------------------------------------------------------------------

export const forcedUnlockSchema = z.object({
  assetId: idSchema,
  assetName: z.string(),
  /** Who removed the lock. */
  by: userRefSchema,
  at: isoDate,
  reason: z.string().nullable(),
});
export type ForcedUnlock = z.infer<typeof forcedUnlockSchema>;

/** At most this many, newest first. */
export const FORCED_UNLOCKS_LIMIT = 50;

export const lockNoticeMethods = {
  'assets.forcedUnlocks': {
    summary:
      'Your locks that somebody else removed (force-unlock) after a moment, newest first, on assets you can still read: what a panel shows after it was offline.',
    params: z.object({ since: z.string().datetime({ offset: true }) }),
    result: z.object({ unlocks: z.array(forcedUnlockSchema) }),
  },
} as const;
