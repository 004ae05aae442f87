import { z } from 'zod';
import { assetSchema, connectedClientSchema, idSchema, lockSchema, userRefSchema, versionSchema } from './dto.ts';
import { INTERNAL_EVENT_NAMES, internalEvents } from './access.ts';
import { derivativeSchema, jobSchema } from './jobs.ts';
import { reviewEvents } from './review.ts';
import { libraryEvents } from './library.ts';
import { brandEvents } from './brand.ts';
import { favouriteEvents } from './favourites.ts';

// Accounts, tokens, groups, grants, audit and the /auth/* bodies live in access.ts.
export * from './access.ts';

/** Every live event: name → payload. Servers emit only these; clients import them. */
export const events = {
  'asset.created': z.object({ asset: assetSchema }),
  'asset.updated': z.object({ asset: assetSchema }),
  'asset.deleted': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), by: userRefSchema }),
  'asset.locked': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), lock: lockSchema }),
  'asset.unlocked': z.object({
    assetId: idSchema,
    collectionId: idSchema.nullable(),
    previousHolder: userRefSchema,
    by: userRefSchema,
    forced: z.boolean(),
    reason: z.string().optional(),
    /** When the lock was removed (ISO 8601). */
    at: z.string().optional(),
  }),
  'version.created': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), version: versionSchema }),
  'client.connected': z.object({ client: connectedClientSchema }),
  'client.disconnected': z.object({ client: connectedClientSchema }),
  /** A long derivative job (video proxy, audio preview, filmstrip) moved on; sent at most every few percent. */
  'job.progress': z.object({
    jobId: idSchema,
    assetId: idSchema,
    collectionId: idSchema.nullable(),
    versionNumber: z.number().int().positive(),
    preset: z.string(),
    percent: z.number().int().min(0).max(100),
  }),
  'derivative.ready': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), derivative: derivativeSchema }),
  'job.failed': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), job: jobSchema }),
  ...reviewEvents,
  ...libraryEvents,
  ...brandEvents,
  ...favouriteEvents,
  /** Internal (server to server only, never delivered to clients): token.revoked, user.disabled. */
  ...internalEvents,
} as const;

export type EventName = keyof typeof events;
export type EventData<E extends EventName> = z.infer<(typeof events)[E]>;
/** The events clients may subscribe to (internal ones excluded). */
export const EVENT_NAMES = Object.keys(events).filter((name) => !(INTERNAL_EVENT_NAMES as string[]).includes(name)) as EventName[];
export const eventNameSchema = z.enum(EVENT_NAMES as [EventName, ...EventName[]]);
