import { z } from 'zod';
import { clientAppSchema, idSchema, isoDate, userRefSchema, userSchema } from './dto.ts';

// ---------------------------------------------------------------------------
// Roles, scopes and the DTOs of accounts, tokens, groups, grants and the audit log
// ---------------------------------------------------------------------------

/** Per-collection roles, weakest first: each includes everything the ones before it may do. */
export const COLLECTION_ROLES = ['viewer', 'contributor', 'editor', 'manager'] as const;
export const collectionRoleSchema = z.enum(COLLECTION_ROLES);
export type CollectionRole = z.infer<typeof collectionRoleSchema>;

/** API token scopes: `read` (look, download), `write` (+ change assets and grants you manage), `admin` (+ administration); `*` = all. */
export const TOKEN_SCOPES = ['read', 'write', 'admin', '*'] as const;
export const tokenScopeSchema = z.enum(TOKEN_SCOPES);
export type TokenScope = z.infer<typeof tokenScopeSchema>;

export const apiTokenSchema = z.object({
  id: idSchema,
  userId: idSchema,
  name: z.string(),
  /** First characters of the secret, so people can tell their tokens apart. */
  prefix: z.string(),
  scopes: z.array(tokenScopeSchema),
  expiresAt: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  revokedAt: isoDate.nullable(),
  createdAt: isoDate,
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const groupSchema = z.object({
  id: idSchema,
  name: z.string(),
  description: z.string(),
  members: z.array(userRefSchema),
  createdAt: isoDate,
});
export type Group = z.infer<typeof groupSchema>;

export const grantSubjectTypeSchema = z.enum(['user', 'group']);
export const grantSchema = z.object({
  collectionId: idSchema,
  subjectType: grantSubjectTypeSchema,
  subjectId: idSchema,
  /** The user's or group's name, for display. */
  subjectName: z.string(),
  role: collectionRoleSchema,
  createdAt: isoDate,
});
export type Grant = z.infer<typeof grantSchema>;

export const auditEventSchema = z.object({
  /** Increasing; also the paging cursor. */
  id: z.string(),
  at: isoDate,
  actor: userRefSchema.nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  clientApp: z.string().nullable(),
  ip: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditQuerySchema = z.object({
  actorId: idSchema.optional(),
  /** Exact action (`auth.login.failed`) or a prefix ending in a dot (`auth.`). */
  action: z.string().min(1).max(100).optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(200).optional(),
  clientApp: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(500).default(100),
  /** `nextCursor` of the previous page (newest first). */
  cursor: z.string().regex(/^\d+$/).optional(),
});

const password = z.string().min(12, 'at least 12 characters').max(1024);

/** Account, token, group, grant and audit methods; merged into `methods`. */
export const accessMethods = {
  'users.list': {
    summary: 'Accounts (administrators, and managers of a collection so they can grant access).',
    params: z.object({ query: z.string().max(200).optional(), includeDisabled: z.boolean().optional() }).default({}),
    result: z.object({ users: z.array(userSchema) }),
  },
  'users.create': {
    summary: 'Create an account (administrators).',
    params: z.object({
      email: z.email(),
      name: z.string().trim().min(1).max(200),
      role: z.enum(['admin', 'member']).optional(),
      password: password.optional(),
    }),
    result: userSchema,
  },
  'users.update': {
    summary: 'Rename, change the role of, disable or re-enable an account, or set its password (administrators). Disabling signs it out everywhere.',
    params: z.object({
      id: idSchema,
      name: z.string().trim().min(1).max(200).optional(),
      role: z.enum(['admin', 'member']).optional(),
      disabled: z.boolean().optional(),
      password: password.optional(),
    }),
    result: userSchema,
  },
  'tokens.list': {
    summary: 'API tokens of the caller, or of any user for administrators.',
    params: z.object({ userId: idSchema.optional(), includeRevoked: z.boolean().optional() }).default({}),
    result: z.object({ tokens: z.array(apiTokenSchema) }),
  },
  'tokens.create': {
    summary: 'Create an API token for the caller; the secret is returned once.',
    params: z.object({
      name: z.string().trim().min(1).max(200),
      /** Required: a token nobody chose scopes for is refused rather than made a full-access one. */
      scopes: z
        .array(tokenScopeSchema, { error: 'choose at least one scope: read, write, admin or *' })
        .min(1, 'choose at least one scope: read, write, admin or *')
        .max(4),
      /** Days until it expires; null or absent: never. */
      expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
    }),
    result: z.object({ token: apiTokenSchema, secret: z.string() }),
  },
  'tokens.revoke': {
    summary: 'Revoke a token (your own, or any for administrators); its open connections close at once.',
    params: z.object({ id: idSchema }),
    result: apiTokenSchema,
  },
  'groups.list': {
    summary: 'Groups and their members (administrators and collection managers).',
    params: z.object({}).default({}),
    result: z.object({ groups: z.array(groupSchema) }),
  },
  'groups.create': {
    summary: 'Create a group (administrators).',
    params: z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(2000).optional() }),
    result: groupSchema,
  },
  'groups.delete': {
    summary: 'Delete a group and its grants (administrators).',
    params: z.object({ id: idSchema }),
    result: z.object({ id: idSchema }),
  },
  'groups.addMember': {
    summary: 'Add a user to a group (administrators).',
    params: z.object({ groupId: idSchema, userId: idSchema }),
    result: groupSchema,
  },
  'groups.removeMember': {
    summary: 'Remove a user from a group (administrators).',
    params: z.object({ groupId: idSchema, userId: idSchema }),
    result: groupSchema,
  },
  'grants.list': {
    summary: 'Who may do what in a collection (its managers and administrators).',
    params: z.object({ collectionId: idSchema }),
    result: z.object({ grants: z.array(grantSchema) }),
  },
  'grants.set': {
    summary: 'Give a user or group a role in a collection, replacing their previous role there (managers, administrators).',
    params: z.object({ collectionId: idSchema, subjectType: grantSubjectTypeSchema, subjectId: idSchema, role: collectionRoleSchema }),
    result: grantSchema,
  },
  'grants.remove': {
    summary: 'Take a user’s or group’s role in a collection away (managers, administrators).',
    params: z.object({ collectionId: idSchema, subjectType: grantSubjectTypeSchema, subjectId: idSchema }),
    result: z.object({ removed: z.boolean() }),
  },
  'audit.query': {
    summary: 'The audit log, newest first, with filters and cursor paging (administrators).',
    params: auditQuerySchema.default({ limit: 100 }),
    result: z.object({ events: z.array(auditEventSchema), nextCursor: z.string().nullable() }),
  },
} as const;

// ---------------------------------------------------------------------------
// Sign-in over HTTP (/auth/*): bodies of the dashboard's and the panels' sign-in
// ---------------------------------------------------------------------------

export const loginBodySchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });
export type LoginBody = z.infer<typeof loginBodySchema>;
/** POST /auth/password: the signed-in person changes their own password. */
export const passwordChangeBodySchema = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: password });

/** Answer of POST /auth/login and GET /auth/me. */
export const signedInSchema = z.object({ user: userSchema, csrfToken: z.string() });
export type SignedIn = z.infer<typeof signedInSchema>;

export const csrfResponseSchema = z.object({ csrfToken: z.string() });

/** Answer of POST /auth/ws-token: a short-lived token for session.hello, revoked at sign-out. */
export const wsTokenResponseSchema = z.object({ token: z.string(), expiresAt: isoDate });
export type WsTokenResponse = z.infer<typeof wsTokenResponseSchema>;

export const deviceCodeRequestSchema = z.object({
  clientApp: clientAppSchema,
  /** Shown to the person approving, and part of the token's name. */
  machine: z.string().trim().min(1).max(128),
});
export type DeviceCodeRequest = z.infer<typeof deviceCodeRequestSchema>;

export const deviceCodeResponseSchema = z.object({
  /** Secret of the panel: send it to /auth/device/token; never show it. */
  deviceCode: z.string(),
  /** What the person types or checks in the browser, e.g. WDJB-MJHT. */
  userCode: z.string(),
  verificationUri: z.string(),
  /** verificationUri with the user code filled in (the user code alone grants nothing). */
  verificationUriComplete: z.string(),
  /** Seconds until the codes expire. */
  expiresIn: z.number().int().positive(),
  /** Seconds to wait between polls. */
  interval: z.number().int().positive(),
});
export type DeviceCodeResponse = z.infer<typeof deviceCodeResponseSchema>;

export const deviceTokenRequestSchema = z.object({ deviceCode: z.string().min(1).max(200) });

export const deviceTokenResponseSchema = z.object({
  token: z.string(),
  tokenId: idSchema,
  /** e.g. "photoshop on STUDIO-MAC-3" */
  name: z.string(),
  expiresAt: isoDate.nullable(),
  user: userSchema,
});
export type DeviceTokenResponse = z.infer<typeof deviceTokenResponseSchema>;

/** RFC 8628 error answers of POST /auth/device/token (HTTP 400, `{ error, error_description }`). */
export const DEVICE_TOKEN_ERRORS = ['authorization_pending', 'slow_down', 'expired_token', 'access_denied', 'invalid_grant'] as const;
export const deviceTokenErrorSchema = z.object({
  error: z.enum(DEVICE_TOKEN_ERRORS),
  error_description: z.string(),
  /** With slow_down: the interval to use from now on (seconds). */
  interval: z.number().int().positive().optional(),
});
export type DeviceTokenError = z.infer<typeof deviceTokenErrorSchema>;

/** Internal events (server to server, never sent to clients): they close live connections. */
export const internalEvents = {
  'token.revoked': z.object({ tokenIds: z.array(idSchema) }),
  /** The account was disabled or lost its admin role: its connections must sign in again. */
  'user.disabled': z.object({ userId: idSchema, reason: z.enum(['disabled', 'role']).optional() }),
  /** Grants or group memberships changed: connections reload their roles. */
  'grants.changed': z.object({ collectionId: idSchema.optional(), groupId: idSchema.optional() }),
} as const;
export type InternalEventName = keyof typeof internalEvents;
export const INTERNAL_EVENT_NAMES = Object.keys(internalEvents) as InternalEventName[];
