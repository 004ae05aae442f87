import { z } from 'zod';

export const idSchema = z.uuid();
export const isoDate = z.string();
export const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 as 64 lowercase hex characters');

/** The apps that talk to the bridge. Anything else is accepted as 'other'. */
export const CLIENT_APPS = ['photoshop', 'premiere', 'figma', 'dashboard', 'web', 'script', 'other'] as const;
export const clientAppSchema = z.enum(CLIENT_APPS);
export type ClientApp = z.infer<typeof clientAppSchema>;

export const ASSET_KINDS = ['image', 'video', 'audio', 'document', 'design', 'font', 'other'] as const;
export const assetKindSchema = z.enum(ASSET_KINDS);
export type AssetKind = z.infer<typeof assetKindSchema>;

export const userRefSchema = z.object({ id: idSchema, name: z.string(), email: z.string() });
export type UserRef = z.infer<typeof userRefSchema>;

export const userSchema = userRefSchema.extend({
  role: z.enum(['admin', 'member']),
  createdAt: isoDate,
  disabledAt: isoDate.nullable(),
});
export type User = z.infer<typeof userSchema>;

export const clientInfoSchema = z.object({
  app: clientAppSchema,
  appVersion: z.string().max(64).default(''),
  pluginVersion: z.string().max(64).default(''),
  /** Free text that tells machines apart in the dashboard, e.g. the host name. */
  machine: z.string().max(128).optional(),
});
export type ClientInfo = z.infer<typeof clientInfoSchema>;

export const metadataSchema = z.record(z.string(), z.unknown());
export const tagSchema = z.string().trim().min(1).max(100);

export const lockSchema = z.object({
  assetId: idSchema,
  holder: userRefSchema,
  clientApp: z.string(),
  since: isoDate,
});
export type Lock = z.infer<typeof lockSchema>;

export const versionSchema = z.object({
  assetId: idSchema,
  number: z.number().int().positive(),
  sha256: sha256Schema,
  size: z.number().int().nonnegative(),
  mimeType: z.string(),
  originalName: z.string(),
  comment: z.string(),
  author: userRefSchema,
  clientApp: z.string(),
  restoredFrom: z.number().int().positive().nullable(),
  metadata: metadataSchema,
  createdAt: isoDate,
  /** Path (relative to the server) of this version's bytes. */
  contentUrl: z.string(),
});
export type Version = z.infer<typeof versionSchema>;

export const assetSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  kind: assetKindSchema,
  tags: z.array(z.string()),
  metadata: metadataSchema,
  collectionId: idSchema.nullable(),
  headVersion: z.number().int().nonnegative(),
  head: versionSchema.nullable(),
  lock: lockSchema.nullable(),
  createdBy: userRefSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
  deletedAt: isoDate.nullable(),
});
export type Asset = z.infer<typeof assetSchema>;

export const collectionSchema = z.object({
  id: idSchema,
  name: z.string(),
  slug: z.string(),
  description: z.string(),
  parentId: idSchema.nullable(),
  createdAt: isoDate,
});
export type Collection = z.infer<typeof collectionSchema>;

export const placementSchema = z.object({
  id: idSchema,
  assetId: idSchema,
  versionNumber: z.number().int().positive(),
  headVersion: z.number().int().nonnegative(),
  updateAvailable: z.boolean(),
  documentId: z.string(),
  documentName: z.string(),
  itemId: z.string(),
  linked: z.boolean(),
  app: z.string(),
  user: userRefSchema,
  updatedAt: isoDate,
});
export type Placement = z.infer<typeof placementSchema>;

export const connectedClientSchema = z.object({
  sessionId: z.string(),
  user: userRefSchema,
  client: clientInfoSchema,
  connectedAt: isoDate,
  address: z.string().optional(),
});
export type ConnectedClient = z.infer<typeof connectedClientSchema>;

export const uploadSchema = z.object({
  id: z.string(),
  size: z.number().int().nonnegative(),
  fileName: z.string(),
  mimeType: z.string(),
  status: z.enum(['pending', 'complete', 'failed']),
  /** Null until the client declares it (after the bytes, see UPLOAD_SHA256_HEADER). */
  sha256: sha256Schema.nullable(),
  failure: z.string().nullable(),
});
export type Upload = z.infer<typeof uploadSchema>;
