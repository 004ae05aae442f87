import { z } from 'zod';

/**
 * "Check in anyway": the caller knows its document started from an older version
 * (`startedFrom`) than the head it names as `baseVersion`, and replaces what changed in
 * between on purpose. The base rule still holds (baseVersion must be the head), so a
 * check-in that lands between the dialog and the click is refused again; the audit
 * row records the override, so the replaced versions can be found.
 */
export const checkInOverrideSchema = z.object({
  startedFrom: z.number().int().nonnegative(),
});
export type CheckInOverride = z.infer<typeof checkInOverrideSchema>;

/** What the audit row of every check-in (`asset.checkin`) and restore (`version.restore`) holds in `data`. */
export const checkInAuditDataSchema = z.object({
  number: z.number().int().positive(),
  sha256: z.string(),
  /** The head the new version was made on top of (the caller's baseVersion, or the head under its lock). */
  baseVersion: z.number().int().nonnegative(),
  /** True when the caller sent no baseVersion and relied on its lock. */
  underLock: z.boolean(),
  override: checkInOverrideSchema.optional(),
  restoredFrom: z.number().int().positive().optional(),
});
export type CheckInAuditData = z.infer<typeof checkInAuditDataSchema>;
