import { z } from 'zod';
import { assetKindSchema, idSchema, isoDate, userRefSchema } from './dto.ts';

// ---------------------------------------------------------------------------
// Review: time-coded comments, approvals per version, share links
// ---------------------------------------------------------------------------

/** A comment's author: a signed-in user, or a guest who commented through a share link (a name only). */
export const commentAuthorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), id: idSchema, name: z.string() }),
  z.object({ kind: z.literal('guest'), name: z.string() }),
]);
export type CommentAuthor = z.infer<typeof commentAuthorSchema>;

/**
 * A span of a video or audio version, as seconds and as frames at the version's frame rate
 * (frame = floor(seconds × frameRate + 1e-6)). For audio without video, a frame is a sample
 * (frameRate = the sample rate). `end*` are null for a single point in time.
 */
export const commentTimeRangeSchema = z.object({
  startSeconds: z.number().nonnegative(),
  endSeconds: z.number().nonnegative().nullable(),
  startFrame: z.number().int().nonnegative(),
  endFrame: z.number().int().nonnegative().nullable(),
  frameRate: z.number().positive(),
});
export type CommentTimeRange = z.infer<typeof commentTimeRangeSchema>;

const fraction = z.number().min(0).max(1);
/** A rectangle on an image, as fractions (0..1) of its width and height from the top left; a point has width and height 0. */
export const commentRegionSchema = z
  .object({ x: fraction, y: fraction, width: fraction, height: fraction })
  .refine((r) => r.x + r.width <= 1.000001 && r.y + r.height <= 1.000001, 'the region must lie inside the image (x + width ≤ 1, y + height ≤ 1)');
export type CommentRegion = z.infer<typeof commentRegionSchema>;

export const reviewCommentSchema = z.object({
  id: idSchema,
  assetId: idSchema,
  /** The version the comment was made on (listed for a later version as "on v3"). */
  versionNumber: z.number().int().positive(),
  /** The comment this one answers; null for a thread's first comment. */
  parentId: idSchema.nullable(),
  author: commentAuthorSchema,
  body: z.string(),
  /** Ids of the users mentioned. */
  mentions: z.array(idSchema),
  timeRange: commentTimeRangeSchema.nullable(),
  region: commentRegionSchema.nullable(),
  resolved: z.boolean(),
  resolvedAt: isoDate.nullable(),
  createdAt: isoDate,
  editedAt: isoDate.nullable(),
});
export type ReviewComment = z.infer<typeof reviewCommentSchema>;

/** How long after writing it the author may still edit a comment. */
export const COMMENT_EDIT_WINDOW_SECONDS = 15 * 60;

const commentBody = z.string().trim().min(1, 'a comment must not be empty').max(10_000);
const seconds = z.number().nonnegative().max(1e7);
const frame = z.number().int().nonnegative().max(1e10);

/** Where on the timeline a new comment goes: seconds (frames are computed) or frames (seconds are computed). */
export const commentTimeInputSchema = z.union([
  z.object({ startSeconds: seconds, endSeconds: seconds.nullable().optional() }).strict(),
  z.object({ startFrame: frame, endFrame: frame.nullable().optional() }).strict(),
]);
export type CommentTimeInput = z.infer<typeof commentTimeInputSchema>;

export const REVIEW_STATUSES = ['in_review', 'changes_requested', 'approved'] as const;
export const reviewStatusSchema = z.enum(REVIEW_STATUSES);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

export const reviewDecisionSchema = z.object({
  status: reviewStatusSchema,
  by: userRefSchema.nullable(),
  note: z.string(),
  at: isoDate,
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/** The review state of one version: its status (null: nobody asked for a review) and who set what, newest first. */
export const versionReviewSchema = z.object({
  assetId: idSchema,
  versionNumber: z.number().int().positive(),
  status: reviewStatusSchema.nullable(),
  history: z.array(reviewDecisionSchema),
});
export type VersionReview = z.infer<typeof versionReviewSchema>;

/** A collection's review rule: new versions start "in review", and only the named approver (when set) may approve them. */
export const reviewRuleSchema = z.object({
  collectionId: idSchema,
  requireApproval: z.boolean(),
  approver: userRefSchema.nullable(),
});
export type ReviewRule = z.infer<typeof reviewRuleSchema>;

export const shareTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('asset'), assetId: idSchema }),
  z.object({ kind: z.literal('collection'), collectionId: idSchema }),
]);
export type ShareTarget = z.infer<typeof shareTargetSchema>;

export const shareLinkSchema = z.object({
  id: idSchema,
  name: z.string(),
  target: shareTargetSchema,
  /** What the link shows, for lists: the asset's or collection's name. */
  targetName: z.string(),
  /** The first characters of the link's secret, so people can tell links apart. */
  prefix: z.string(),
  expiresAt: isoDate.nullable(),
  hasPassword: z.boolean(),
  allowDownload: z.boolean(),
  allowComments: z.boolean(),
  revokedAt: isoDate.nullable(),
  createdAt: isoDate,
  createdBy: userRefSchema,
  views: z.number().int().nonnegative(),
  downloads: z.number().int().nonnegative(),
  lastAccessAt: isoDate.nullable(),
});
export type ShareLink = z.infer<typeof shareLinkSchema>;

export const SHARE_ACCESS_KINDS = ['view', 'download', 'comment', 'refused'] as const;
export const shareAccessSchema = z.object({
  at: isoDate,
  kind: z.enum(SHARE_ACCESS_KINDS),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** For refusals: why (expired, revoked, password). For downloads and comments: which asset. */
  detail: z.string(),
});
export type ShareAccess = z.infer<typeof shareAccessSchema>;

const shareName = z.string().trim().min(1).max(200);

/** Comment, approval and share-link methods; merged into `methods`. */
export const reviewMethods = {
  'comments.list': {
    summary:
      'The comments of a version (the head when `version` is left out) plus the unresolved ones carried over from earlier versions, each keeping its own versionNumber; oldest first.',
    params: z.object({ assetId: idSchema, version: z.number().int().positive().optional() }),
    result: z.object({ comments: z.array(reviewCommentSchema) }),
  },
  'comments.create': {
    summary: 'Comment on a version: text, an optional time range (video, audio) or region (image), or a reply to another comment.',
    params: z.object({
      assetId: idSchema,
      version: z.number().int().positive(),
      body: commentBody,
      parentId: idSchema.optional(),
      timeRange: commentTimeInputSchema.optional(),
      region: commentRegionSchema.optional(),
      /** Ids of users to notify; they must be able to read the asset. */
      mentions: z.array(idSchema).max(50).optional(),
    }),
    result: z.object({ comment: reviewCommentSchema }),
  },
  'comments.update': {
    summary: `Change the text of your own comment (within ${COMMENT_EDIT_WINDOW_SECONDS / 60} minutes of writing it).`,
    params: z.object({ commentId: idSchema, body: commentBody }),
    result: z.object({ comment: reviewCommentSchema }),
  },
  'comments.resolve': {
    summary: 'Mark a comment resolved, or reopen it (resolved: false).',
    params: z.object({ commentId: idSchema, resolved: z.boolean() }),
    result: z.object({ comment: reviewCommentSchema }),
  },
  'comments.delete': {
    summary: 'Delete a comment and its replies (its author, managers of the collection, administrators).',
    params: z.object({ commentId: idSchema }),
    result: z.object({ commentId: idSchema, deleted: z.number().int().positive() }),
  },
  'reviews.get': {
    summary: 'The review status of a version (the head when `version` is left out) and its history.',
    params: z.object({ assetId: idSchema, version: z.number().int().positive().optional() }),
    result: versionReviewSchema,
  },
  'reviews.set': {
    summary:
      'Set a version’s review status: in review, changes requested or approved (editors of the collection; the named approver where the collection has one).',
    params: z.object({ assetId: idSchema, version: z.number().int().positive(), status: reviewStatusSchema, note: z.string().max(2000).optional() }),
    result: versionReviewSchema,
  },
  'reviews.getRule': {
    summary: 'The review rule of a collection.',
    params: z.object({ collectionId: idSchema }),
    result: reviewRuleSchema,
  },
  'reviews.setRule': {
    summary: 'Require approval for new versions in a collection, optionally by a named approver (managers of the collection).',
    params: z.object({ collectionId: idSchema, requireApproval: z.boolean(), approverId: idSchema.nullable().optional() }),
    result: reviewRuleSchema,
  },
  'shares.list': {
    summary: 'Share links you may manage, newest first, optionally of one asset or collection, with their usage counts.',
    params: z.object({ assetId: idSchema.optional(), collectionId: idSchema.optional(), includeRevoked: z.boolean().optional() }).default({}),
    result: z.object({ links: z.array(shareLinkSchema) }),
  },
  'shares.create': {
    summary: 'Create a link to one asset or a collection for people without an account; the link’s address is returned once.',
    params: z.object({
      target: shareTargetSchema,
      name: shareName.optional(),
      /** Days until the link stops working; null: never. */
      expiresInDays: z.number().min(0.001).max(3650).nullable().optional(),
      password: z.string().min(6, 'a share password needs at least 6 characters').max(1024).optional(),
      allowDownload: z.boolean().default(false),
      allowComments: z.boolean().default(true),
    }),
    result: z.object({ link: shareLinkSchema, url: z.string(), secret: z.string() }),
  },
  'shares.revoke': {
    summary: 'Stop a share link from working, at once.',
    params: z.object({ id: idSchema }),
    result: shareLinkSchema,
  },
  'shares.usage': {
    summary: 'Every view, download, guest comment and refusal of a share link, newest first.',
    params: z.object({ id: idSchema, limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({ link: shareLinkSchema, accesses: z.array(shareAccessSchema) }),
  },
} as const;

/** Live review events; every one carries the asset's collection so it reaches only those who may read the asset. */
export const reviewEvents = {
  'comment.created': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), comment: reviewCommentSchema }),
  'comment.updated': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), comment: reviewCommentSchema }),
  'comment.resolved': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), comment: reviewCommentSchema }),
  'comment.deleted': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), commentId: idSchema, versionNumber: z.number().int().positive() }),
  'review.changed': z.object({ assetId: idSchema, collectionId: idSchema.nullable(), review: versionReviewSchema }),
} as const;

// ---------------------------------------------------------------------------
// The public share page (/s/<secret>): what a guest's browser reads. Only what the
// link shows: no user ids, e-mails, tokens or other assets.
// ---------------------------------------------------------------------------

export const publicCommentSchema = z.object({
  id: idSchema,
  versionNumber: z.number().int().positive(),
  parentId: idSchema.nullable(),
  authorName: z.string(),
  guest: z.boolean(),
  body: z.string(),
  timeRange: commentTimeRangeSchema.nullable(),
  region: commentRegionSchema.nullable(),
  resolved: z.boolean(),
  createdAt: isoDate,
});
export type PublicComment = z.infer<typeof publicCommentSchema>;

export const publicShareItemSchema = z.object({
  /** The asset's position in the link (0..n-1): the page addresses assets by it, never by id. */
  index: z.number().int().nonnegative(),
  name: z.string(),
  kind: assetKindSchema,
  versionNumber: z.number().int().positive(),
  mimeType: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  durationSeconds: z.number().nullable(),
  frameRate: z.number().nullable(),
  /** Relative URLs under the link (null when there is none yet). */
  posterUrl: z.string().nullable(),
  previewUrl: z.string().nullable(),
  proxyUrl: z.string().nullable(),
  downloadUrl: z.string().nullable(),
  comments: z.array(publicCommentSchema),
});
export type PublicShareItem = z.infer<typeof publicShareItemSchema>;

export const publicShareSchema = z.object({
  name: z.string(),
  expiresAt: isoDate.nullable(),
  allowDownload: z.boolean(),
  allowComments: z.boolean(),
  items: z.array(publicShareItemSchema),
});
export type PublicShare = z.infer<typeof publicShareSchema>;

/** Body of a guest comment (POST /s/<secret>/api/items/<index>/comments). */
export const guestCommentBodySchema = z.object({
  name: z.string().trim().min(1, 'say who you are').max(100),
  body: commentBody,
  parentId: idSchema.optional(),
  timeRange: commentTimeInputSchema.optional(),
  region: commentRegionSchema.optional(),
});
export type GuestCommentBody = z.infer<typeof guestCommentBodySchema>;

/** Body of POST /s/<secret>/unlock for a link with a password. */
export const shareUnlockBodySchema = z.object({ password: z.string().min(1).max(1024) });

// ---------------------------------------------------------------------------
// Frame arithmetic, shared by the server (which stores frames) and the players (which seek)
// ---------------------------------------------------------------------------

/** Absorbs binary rounding of seconds that were computed from a frame (e.g. 1001/30000 × 30000/1001). */
const FRAME_EPSILON = 1e-6;

/**
 * The probe facts keep frame rates to three decimals (29.97). Counted with that, frame 45
 * of a 30000/1001 clip (1.5015 s) comes out as 44.99995 → 44: a frame early. A rate within
 * a thousandth of an NTSC rate (n × 1000/1001: 23.976, 29.97, 59.94, ...) is that exact
 * fraction; any other rate is used as stored.
 */
export function exactFrameRate(stored: number): number {
  const nominal = Math.round(stored * 1.001);
  if (Number.isInteger(stored) || nominal <= 0) return stored;
  const ntsc = (nominal * 1000) / 1001;
  return Math.abs(ntsc - stored) < 0.001 ? ntsc : stored;
}

/** The frame shown at `seconds`: floor(seconds × frameRate + ε). */
export function frameAtSeconds(seconds: number, frameRate: number): number {
  return Math.floor(seconds * frameRate + FRAME_EPSILON);
}

/** Where frame `frame` starts, in seconds. */
export function secondsAtFrame(frame: number, frameRate: number): number {
  return frame / frameRate;
}

/**
 * The time a player should seek to so that it shows `frame`: the middle of the frame, so
 * that a decoder's rounding of the position cannot land on the frame before.
 */
export function seekSecondsForFrame(frame: number, frameRate: number): number {
  return (frame + 0.5) / frameRate;
}

/** A position as hours:minutes:seconds:frames at a frame rate (non-drop-frame, as players show it). */
export function formatTimecode(frame: number, frameRate: number): string {
  const fps = Math.round(frameRate);
  const totalSeconds = Math.floor(frame / fps);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalSeconds / 3600))}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}:${pad(frame % fps)}`;
}
