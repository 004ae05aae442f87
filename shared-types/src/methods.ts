import { z } from 'zod';
import { accessMethods } from './access.ts';
import { brandMethods } from './brand.ts';
import { reviewMethods } from './review.ts';
import { metadataMethods } from './metadata-fields.ts';
import { invitationMethods } from './invitations.ts';
import { mediaActionMethods } from './media-actions.ts';
import { lockNoticeMethods } from './lock-notices.ts';
import { favouriteMethods } from './favourites.ts';
import {
  assetKindSchema,
  assetSchema,
  clientInfoSchema,
  collectionSchema,
  connectedClientSchema,
  idSchema,
  isoDate,
  metadataSchema,
  placementSchema,
  tagSchema,
  userSchema,
  versionSchema,
} from './dto.ts';
import { eventNameSchema } from './events.ts';
import { derivativeSchema, jobSchema, jobsListParamsSchema, jobsListResultSchema } from './jobs.ts';
import { searchParamsSchema, searchResultSchema } from './search.ts';
import { adminLocksParamsSchema, adminLocksSchema, adminSettingsSchema, adminStatsParamsSchema, adminStatsSchema } from './admin.ts';
import { checkInOverrideSchema } from './checkin.ts';
import { libraryMethods } from './library.ts';
import { collectionMethods } from './collections.ts';

export const PROTOCOL_VERSION = 1;

const comment = z.string().max(10_000);
const name = z.string().trim().min(1, 'a name must not be empty').max(500);

interface MethodSpec<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
  summary: string;
}
const method = <P extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<P, R>) => spec;

const assetAndVersion = z.object({ asset: assetSchema, version: versionSchema });

/**
 * Every WebSocket method: name → params, result. The server validates every
 * request with these; the REST mirror and the OpenAPI document use them too.
 */
export const methods = {
  ...accessMethods,
  ...brandMethods,
  ...reviewMethods,
  ...libraryMethods,
  ...collectionMethods,
  ...metadataMethods,
  ...invitationMethods,
  ...mediaActionMethods,
  ...lockNoticeMethods,
  ...favouriteMethods,
  'session.hello': method({
    summary: 'Authenticate the connection. Must be the first request.',
    params: z.object({
      token: z.string().min(1).max(512),
      client: clientInfoSchema,
      protocol: z.number().int().positive(),
    }),
    result: z.object({
      sessionId: z.string(),
      user: userSchema,
      protocol: z.number().int(),
      serverVersion: z.string(),
      /** The server's clock at hello: lets a client ask for what happened while it was away without trusting its own clock. */
      serverTime: isoDate,
    }),
  }),
  'session.whoami': method({
    summary: 'Who this connection is signed in as.',
    params: z.object({}).default({}),
    result: z.object({ sessionId: z.string(), user: userSchema, client: clientInfoSchema }),
  }),
  'assets.create': method({
    summary: 'Create an asset from a finished upload; its bytes become version 1.',
    params: z.object({
      uploadId: z.string().min(1).max(200),
      name: name.optional(),
      description: z.string().max(10_000).optional(),
      kind: assetKindSchema.optional(),
      collectionId: idSchema.nullable().optional(),
      tags: z.array(tagSchema).max(200).optional(),
      metadata: metadataSchema.optional(),
      comment: comment.optional(),
    }),
    result: assetSchema,
  }),
  'assets.search': method({
    summary: 'Find assets: free text (typos, prefixes and accents forgiven), filters, facet counts, sorting and cursor paging. An empty query browses.',
    params: searchParamsSchema,
    result: searchResultSchema,
  }),
  'assets.get': method({
    summary: 'One asset with its head version and lock.',
    params: z.object({ id: idSchema }),
    result: assetSchema,
  }),
  'assets.update': method({
    summary: 'Change an asset’s name, description, tags, custom metadata or collection.',
    params: z.object({
      id: idSchema,
      name: name.optional(),
      description: z.string().max(10_000).optional(),
      tags: z.array(tagSchema).max(200).optional(),
      metadata: metadataSchema.optional(),
      collectionId: idSchema.nullable().optional(),
    }),
    result: assetSchema,
  }),
  'assets.delete': method({
    summary: 'Move an asset to the trash (soft delete); its versions are kept.',
    params: z.object({ id: idSchema }),
    result: z.object({ id: idSchema, deletedAt: z.string() }),
  }),
  'assets.checkout': method({
    summary: 'Take the exclusive lock on an asset.',
    params: z.object({ id: idSchema }),
    result: assetSchema,
  }),
  'assets.checkin': method({
    summary: 'Add a new version from a finished upload. Needs the caller’s lock, or baseVersion equal to the head version.',
    params: z.object({
      id: idSchema,
      uploadId: z.string().min(1).max(200),
      comment: comment.optional(),
      baseVersion: z.number().int().nonnegative().optional(),
      keepLocked: z.boolean().optional(),
      override: checkInOverrideSchema.optional(),
    }),
    result: assetAndVersion,
  }),
  'assets.releaseCheckout': method({
    summary: 'Give up your lock on an asset without checking in.',
    params: z.object({ id: idSchema }),
    result: assetSchema,
  }),
  'assets.forceUnlock': method({
    summary: 'Remove somebody else’s lock (administrators).',
    params: z.object({ id: idSchema, reason: z.string().max(1000).optional() }),
    result: assetSchema,
  }),
  'versions.list': method({
    summary: 'All versions of an asset, newest first.',
    params: z.object({ assetId: idSchema }),
    result: z.object({ versions: z.array(versionSchema) }),
  }),
  'versions.restore': method({
    summary: 'Make an old version the head again, as a new version with the old bytes.',
    params: z.object({
      assetId: idSchema,
      number: z.number().int().positive(),
      comment: comment.optional(),
      baseVersion: z.number().int().nonnegative().optional(),
      keepLocked: z.boolean().optional(),
    }),
    result: assetAndVersion,
  }),
  'collections.list': method({
    summary: 'Collections, optionally only the children of one.',
    params: z.object({ parentId: idSchema.nullable().optional() }).default({}),
    result: z.object({ collections: z.array(collectionSchema) }),
  }),
  'collections.create': method({
    summary: 'Create a collection.',
    params: z.object({
      name,
      slug: z
        .string()
        .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lowercase letters, digits and single hyphens')
        .max(100)
        .optional(),
      description: z.string().max(10_000).optional(),
      parentId: idSchema.nullable().optional(),
    }),
    result: collectionSchema,
  }),
  'placements.report': method({
    summary: 'Tell the bridge which assets a document contains now (replaces what was reported for it).',
    params: z.object({
      documentId: z.string().min(1).max(2000),
      documentName: z.string().max(500),
      placements: z
        .array(
          z.object({
            assetId: idSchema,
            versionNumber: z.number().int().positive(),
            itemId: z.string().max(500).default(''),
            linked: z.boolean().default(true),
          }),
        )
        .max(5000),
    }),
    result: z.object({ placements: z.array(placementSchema) }),
  }),
  'placements.list': method({
    summary: 'Where an asset is used, or what a document contains.',
    params: z
      .object({ assetId: idSchema.optional(), documentId: z.string().min(1).max(2000).optional() })
      .refine((p) => p.assetId !== undefined || p.documentId !== undefined, 'give assetId or documentId'),
    result: z.object({ placements: z.array(placementSchema) }),
  }),
  'events.subscribe': method({
    summary: 'Receive live events on this connection (all, or the named ones).',
    params: z.object({ events: z.array(eventNameSchema).optional() }).default({}),
    result: z.object({ events: z.array(eventNameSchema) }),
  }),
  'admin.clients': method({
    summary: 'Clients connected to any server process right now.',
    params: z.object({}).default({}),
    result: z.object({ clients: z.array(connectedClientSchema) }),
  }),
  'admin.stats': method({
    summary: 'Dashboard overview: assets and storage by kind, versions per day, queue, search index lag, connected clients per app.',
    params: adminStatsParamsSchema,
    result: adminStatsSchema,
  }),
  'admin.locks': method({
    summary: 'Every current lock with its holder, app and age, oldest first, a page at a time (administrators).',
    params: adminLocksParamsSchema,
    result: adminLocksSchema,
  }),
  'admin.settings': method({
    summary: 'The server’s limits and backends, read-only (administrators).',
    params: z.object({}).default({}),
    result: adminSettingsSchema,
  }),
  'derivatives.list': method({
    summary: 'The derivatives (thumbnail, preview, proxy, ...) of one version, or of the head version, with their state.',
    params: z.object({ assetId: idSchema, number: z.number().int().positive().optional() }),
    result: z.object({ derivatives: z.array(derivativeSchema) }),
  }),
  'jobs.list': method({
    summary: 'Derivative jobs, newest first, optionally only those in one state or of one asset (administrators).',
    params: jobsListParamsSchema,
    result: jobsListResultSchema,
  }),
  'jobs.retry': method({
    summary: 'Run a failed (or any) derivative job again from the start (administrators).',
    params: z.object({ id: idSchema }),
    result: z.object({ job: jobSchema }),
  }),
} as const;

export type MethodName = keyof typeof methods;
export type MethodParams<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
export type MethodParsedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;
export const METHOD_NAMES = Object.keys(methods) as MethodName[];
