import { z } from 'zod';
import { assetKindSchema, clientAppSchema, idSchema, isoDate, userRefSchema } from './dto.ts';

/** Counts and sizes for the dashboard overview. Every number is computed by the database, never by reading rows. */
export const adminStatsParamsSchema = z
  .object({
    /** How many days of history the versions-per-day chart covers. */
    days: z.number().int().min(1).max(365).default(30),
  })
  .default({ days: 30 });

export const adminStatsSchema = z.object({
  assets: z.object({
    total: z.number().int().nonnegative(),
    byKind: z.array(z.object({ kind: assetKindSchema, count: z.number().int().nonnegative() })),
  }),
  storage: z.object({
    /** Bytes of distinct stored blobs (what the blob store holds). */
    totalBytes: z.number().nonnegative(),
    /** Bytes of every version, by the kind of its asset (a blob shared by two versions counts twice). */
    byKind: z.array(z.object({ kind: assetKindSchema, bytes: z.number().nonnegative() })),
  }),
  /** Versions created per UTC day, oldest first, one entry for every day of the range (zeros included). */
  versionsPerDay: z.array(z.object({ day: z.string(), count: z.number().int().nonnegative() })),
  /** Null until the job queue exists on this server. */
  queue: z
    .object({
      queued: z.number().int().nonnegative(),
      running: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
    })
    .nullable(),
  /** Null until a search indexer runs on this server. */
  search: z
    .array(
      z.object({
        backend: z.string(),
        /** Changes not yet applied to the index (capped at `lagCap`). */
        lag: z.number().int().nonnegative(),
        lagCap: z.number().int().positive(),
        updatedAt: isoDate,
      }),
    )
    .nullable(),
  clients: z.object({
    total: z.number().int().nonnegative(),
    byApp: z.array(z.object({ app: z.string(), count: z.number().int().nonnegative() })),
  }),
  locks: z.number().int().nonnegative(),
  generatedAt: isoDate,
});
export type AdminStats = z.infer<typeof adminStatsSchema>;

export const adminLocksParamsSchema = z
  .object({
    /** Only locks taken from this app. */
    app: clientAppSchema.or(z.string().max(64)).optional(),
    offset: z.number().int().min(0).max(1_000_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .default({ offset: 0, limit: 50 });

export const adminLockSchema = z.object({
  asset: z.object({ id: idSchema, name: z.string(), kind: assetKindSchema, collectionId: idSchema.nullable() }),
  holder: userRefSchema,
  clientApp: z.string(),
  since: isoDate,
  ageSeconds: z.number().int().nonnegative(),
});
export type AdminLock = z.infer<typeof adminLockSchema>;

export const adminLocksSchema = z.object({
  locks: z.array(adminLockSchema),
  total: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative(),
  limit: z.number().int().positive(),
});

/** What the server is configured with, for the dashboard's settings page (read-only; no secrets). */
export const adminSettingsSchema = z.object({
  serverVersion: z.string(),
  limits: z.array(z.object({ name: z.string(), value: z.string(), description: z.string() })),
  storage: z.object({ backend: z.enum(['disk', 's3']) }),
  search: z.object({ backend: z.enum(['postgres', 'typesense']) }),
  /** Derivative presets in force: source family (still, video, audio) → preset name → its settings. */
  presets: z.record(z.string(), z.record(z.string(), z.record(z.string(), z.unknown()))),
});
export type AdminSettings = z.infer<typeof adminSettingsSchema>;
