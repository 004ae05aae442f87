import { z } from 'zod';
import { idSchema, isoDate, sha256Schema } from './dto.ts';

export const DERIVATIVE_STATUSES = ['pending', 'processing', 'ready', 'failed'] as const;
export const derivativeStatusSchema = z.enum(DERIVATIVE_STATUSES);
export type DerivativeStatus = z.infer<typeof derivativeStatusSchema>;

/** A file made from one version by one preset (thumbnail, preview, proxy, filmstrip, peaks, ...). */
export const derivativeSchema = z.object({
  id: idSchema,
  assetId: idSchema,
  versionNumber: z.number().int().positive(),
  preset: z.string(),
  status: derivativeStatusSchema,
  sha256: sha256Schema.nullable(),
  mimeType: z.string().nullable(),
  size: z.number().int().nonnegative().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationSeconds: z.number().nullable(),
  /** Preset-specific facts, e.g. a filmstrip's tile layout and each frame's timecode. */
  data: z.record(z.string(), z.unknown()),
  /** Path (relative to the server) of the file; null until it is ready. */
  contentUrl: z.string().nullable(),
  /** Stable code: corrupt-file, empty-file, unsupported-format, too-many-pixels, too-long, timeout, tool-failed, internal. */
  failureReason: z.string().nullable(),
  /** What went wrong, in words a person can act on. */
  failure: z.string().nullable(),
  updatedAt: isoDate,
});
export type Derivative = z.infer<typeof derivativeSchema>;

/** The work of making one derivative, as the dashboard's job list shows it. */
export const jobSchema = derivativeSchema.extend({
  assetName: z.string(),
  collectionId: idSchema.nullable(),
  progress: z.number().int().min(0).max(100),
  attempts: z.number().int().nonnegative(),
  createdAt: isoDate,
  startedAt: isoDate.nullable(),
  finishedAt: isoDate.nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobsListParamsSchema = z
  .object({
    status: derivativeStatusSchema.optional(),
    assetId: idSchema.optional(),
    limit: z.number().int().min(1).max(500).default(100),
    /** The `nextCursor` of the previous page. */
    cursor: z.string().max(200).optional(),
  })
  .default({ limit: 100 });

export const jobsListResultSchema = z.object({ jobs: z.array(jobSchema), nextCursor: z.string().nullable() });
