import { z } from 'zod';
import { bulkResultSchema, bulkSelectionSchema } from './library.ts';

// ---------------------------------------------------------------------------
// Derivatives of many assets at once: retry what failed (and make what is missing), or
// make everything again (after presets changed), for the selected assets.
// ---------------------------------------------------------------------------

/** `missing`: failed derivatives are tried again and missing presets made; `all`: every derivative is made again. */
export const regenerateModeSchema = z.enum(['missing', 'all']);
export type RegenerateMode = z.infer<typeof regenerateModeSchema>;

export const regenerateResultSchema = bulkResultSchema.extend({
  /** Derivative jobs queued (one per derivative). */
  queued: z.number().int().nonnegative(),
});
export type RegenerateResult = z.infer<typeof regenerateResultSchema>;

export const mediaActionMethods = {
  'derivatives.regenerate': {
    summary:
      'Retry the failed derivatives of many assets (mode missing), or make all their derivatives again (mode all): the ids given, or every asset matching a search. Each asset needs the right to edit it.',
    params: z.object({ selection: bulkSelectionSchema, mode: regenerateModeSchema }),
    result: regenerateResultSchema,
  },
} as const;
