import {
  COMMENT_EDIT_WINDOW_SECONDS,
  StockroomError,
  type CommentRegion,
  type CommentTimeInput,
  type MethodParsedParams,
  type ReviewComment,
} from '@stockroom/shared-types';
import { commentsRepository as repo, type CommentRow } from '../repositories/comments.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { notFound } from './assets.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import { assetAccessFacts, versionMetadata } from '../repositories/assets.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { userRows } from '../repositories/people.ts';
import { toTimeRange, versionTiming } from './version-timing.ts';

interface AssetFacts {
  id: string;
  collectionId: string | null;
  createdById: string;
  headVersion: number;
}

/** Who writes a new comment: a user, or a guest through a share link (already checked by the share service). */
export type CommentWriter = { kind: 'user'; actor: Actor } | { kind: 'guest'; name: string; shareLinkId: string; ip?: string };

export interface NewComment {
  version: number;
  body: string;
  parentId?: string;
  timeRange?: CommentTimeInput;
  region?: CommentRegion;
  mentions?: string[];
}

/**
 * Comments on versions. A comment keeps the version it was made on; listing a later
 * version also shows the unresolved threads of earlier ones ("on v3"), so nothing is
 * lost at a check-in. Threads are one level deep: a reply to a reply joins the thread.
 */
export class CommentsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(actor: Actor, params: MethodParsedParams<'comments.list'>): Promise<ReviewComment[]> {
    const asset = await this.asset(this.db, params.assetId);
    this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId });
    return this.listOf(asset, params.version ?? asset.headVersion);
  }

  /** The comments shown with a version (also used by share links, which check access themselves). */
  async listOf(asset: { id: string; headVersion: number }, version: number): Promise<ReviewComment[]> {
    if (version > asset.headVersion) throw versionNotFound(asset.id, version);
    const rows = await repo.upToVersion(this.db, asset.id, version);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const shown = rows.filter((row) => {
      if (row.versionNumber === version) return true;
      const root = row.parentId ? byId.get(row.parentId) : row;
      return root !== undefined && root.resolvedAt === null;
    });
    return this.toDtos(this.db, shown);
  }

  async create(actor: Actor, params: MethodParsedParams<'comments.create'>): Promise<ReviewComment> {
    return this.write({ kind: 'user', actor }, params.assetId, params);
  }

  /** Writes a comment as a user or a guest; the caller has checked a guest's link. */
  async write(writer: CommentWriter, assetId: string, input: NewComment): Promise<ReviewComment> {
    return this.db.$transaction(async (tx) => {
      const asset = await this.asset(tx, assetId);
      if (writer.kind === 'user') this.access.assert(writer.actor, 'asset.comment', { collectionId: asset.collectionId, createdById: asset.createdById });
      const version = await versionMetadata(tx, assetId, input.version);
      if (!version) throw versionNotFound(assetId, input.version);
      let parentId: string | null = null;
      if (input.parentId) {
        const parent = await repo.byId(tx, input.parentId);
        if (!parent || parent.assetId !== assetId) {
          throw new StockroomError('NOT_FOUND', 'The comment you answer does not exist on this asset (it may have been deleted). Reload the comments.', {
            parentId: input.parentId,
          });
        }
        parentId = parent.parentId ?? parent.id;
      }
      let timeRange = null;
      if (input.timeRange) {
        const timing = versionTiming(version.metadata);
        if (!timing) {
          throw new StockroomError(
            'CONFLICT',
            `Version ${input.version} has no known frame rate: it is not video or audio, or its facts are still being read. Try again in a moment, or comment without a time.`,
            { reason: 'no-frame-rate', version: input.version },
          );
        }
        timeRange = toTimeRange(input.timeRange, timing);
      }
      const mentions = writer.kind === 'user' ? await this.checkMentions(tx, input.mentions ?? [], asset) : [];
      const row = await repo.create(tx, {
        assetId,
        versionNumber: input.version,
        parentId,
        authorId: writer.kind === 'user' ? writer.actor.user.id : null,
        guestName: writer.kind === 'guest' ? writer.name : null,
        shareLinkId: writer.kind === 'guest' ? writer.shareLinkId : null,
        body: input.body,
        mentions,
        startSeconds: timeRange?.startSeconds ?? null,
        endSeconds: timeRange?.endSeconds ?? null,
        startFrame: timeRange?.startFrame ?? null,
        endFrame: timeRange?.endFrame ?? null,
        frameRate: timeRange?.frameRate ?? null,
        regionX: input.region?.x ?? null,
        regionY: input.region?.y ?? null,
        regionWidth: input.region?.width ?? null,
        regionHeight: input.region?.height ?? null,
      });
      const [comment] = await this.toDtos(tx, [row]);
      const actor = writer.kind === 'user' ? writer.actor : null;
      await this.changes.record(
        tx,
        actor,
        {
          action: 'comment.create',
          targetType: 'asset',
          targetId: assetId,
          data: {
            commentId: row.id,
            versionNumber: row.versionNumber,
            ...(writer.kind === 'guest' ? { guestName: writer.name, shareLinkId: writer.shareLinkId, ip: writer.ip } : {}),
          },
        },
        [{ event: 'comment.created', data: { assetId, collectionId: asset.collectionId, comment: comment! } }],
      );
      return comment!;
    });
  }

  async update(actor: Actor, params: MethodParsedParams<'comments.update'>): Promise<ReviewComment> {
    return this.db.$transaction(async (tx) => {
      const { row, asset } = await this.comment(tx, actor, params.commentId);
      if (row.authorId !== actor.user.id) {
        throw new StockroomError('FORBIDDEN', 'Only the author can change a comment. Reply to it instead.', { commentId: row.id });
      }
      const ageSeconds = (Date.now() - row.createdAt.getTime()) / 1000;
      if (ageSeconds > COMMENT_EDIT_WINDOW_SECONDS) {
        throw new StockroomError(
          'FORBIDDEN',
          `A comment can be changed for ${COMMENT_EDIT_WINDOW_SECONDS / 60} minutes after it was written. Reply to it with the correction instead.`,
          { commentId: row.id, reason: 'edit-window', editWindowSeconds: COMMENT_EDIT_WINDOW_SECONDS },
        );
      }
      const updated = await repo.update(tx, row.id, { body: params.body, editedAt: new Date() });
      const [comment] = await this.toDtos(tx, [updated]);
      await this.changes.record(tx, actor, { action: 'comment.update', targetType: 'asset', targetId: asset.id, data: { commentId: row.id } }, [
        { event: 'comment.updated', data: { assetId: asset.id, collectionId: asset.collectionId, comment: comment! } },
      ]);
      return comment!;
    });
  }

  async resolve(actor: Actor, params: MethodParsedParams<'comments.resolve'>): Promise<ReviewComment> {
    return this.db.$transaction(async (tx) => {
      const { row, asset } = await this.comment(tx, actor, params.commentId);
      this.access.assert(actor, 'asset.comment', { collectionId: asset.collectionId, createdById: asset.createdById });
      const updated = await repo.update(
        tx,
        row.id,
        params.resolved ? { resolvedAt: new Date(), resolvedById: actor.user.id } : { resolvedAt: null, resolvedById: null },
      );
      const [comment] = await this.toDtos(tx, [updated]);
      await this.changes.record(
        tx,
        actor,
        { action: params.resolved ? 'comment.resolve' : 'comment.reopen', targetType: 'asset', targetId: asset.id, data: { commentId: row.id } },
        [{ event: 'comment.resolved', data: { assetId: asset.id, collectionId: asset.collectionId, comment: comment! } }],
      );
      return comment!;
    });
  }

  async delete(actor: Actor, params: MethodParsedParams<'comments.delete'>): Promise<{ commentId: string; deleted: number }> {
    return this.db.$transaction(async (tx) => {
      const { row, asset } = await this.comment(tx, actor, params.commentId);
      const mayModerate = asset.collectionId !== null && this.access.can(actor, 'collection.manage', { collectionId: asset.collectionId });
      const isAuthor =
        row.authorId === actor.user.id && this.access.can(actor, 'asset.comment', { collectionId: asset.collectionId, createdById: asset.createdById });
      if (!isAuthor && !mayModerate && actor.user.role !== 'admin') {
        throw new StockroomError('FORBIDDEN', 'Only the author, a manager of the collection or an administrator can delete a comment. Resolve it instead.', {
          commentId: row.id,
        });
      }
      const deleted = await repo.deleteThread(tx, row.id);
      await this.changes.record(
        tx,
        actor,
        { action: 'comment.delete', targetType: 'asset', targetId: asset.id, data: { commentId: row.id, deleted, body: row.body.slice(0, 200) } },
        [{ event: 'comment.deleted', data: { assetId: asset.id, collectionId: asset.collectionId, commentId: row.id, versionNumber: row.versionNumber } }],
      );
      return { commentId: row.id, deleted };
    });
  }

  private async comment(tx: Tx, actor: Actor, commentId: string): Promise<{ row: CommentRow; asset: AssetFacts }> {
    const row = await repo.byId(tx, commentId);
    const missing = new StockroomError('NOT_FOUND', 'No such comment (it may have been deleted). Reload the comments.', { commentId });
    if (!row) throw missing;
    const asset = await assetAccessFacts(tx, row.assetId);
    if (!asset || asset.deletedAt) throw missing;
    // Somebody who may not read the asset learns nothing of its comments.
    if (!this.access.can(actor, 'asset.read', { collectionId: asset.collectionId })) throw missing;
    return { row, asset };
  }

  private async asset(db: Db | Tx, assetId: string): Promise<AssetFacts> {
    const asset = await assetAccessFacts(db, assetId);
    if (!asset || asset.deletedAt) throw notFound(assetId);
    return asset;
  }

  /** Mentioned users must exist and be able to read the asset (a mention tells them about it). */
  private async checkMentions(tx: Tx, ids: string[], asset: AssetFacts): Promise<string[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const users = (await userRows.byIds(tx, unique)).filter((u) => u.disabledAt === null);
    const found = new Map(users.map((u) => [u.id, u]));
    for (const id of unique) {
      const user = found.get(id);
      const readable =
        user !== undefined &&
        this.access.can({ user, clientApp: 'script', grants: await this.access.grantsOf(id, tx) }, 'asset.read', { collectionId: asset.collectionId });
      if (!readable) {
        throw new StockroomError(
          'VALIDATION_FAILED',
          'A mentioned user does not exist or may not see this asset. Mention somebody with access, or ask a manager to grant it.',
          {
            userId: id,
          },
        );
      }
    }
    return unique;
  }

  private async toDtos(db: Db | Tx, rows: CommentRow[]): Promise<ReviewComment[]> {
    const authorIds = [...new Set(rows.flatMap((r) => (r.authorId ? [r.authorId] : [])))];
    const names = new Map((await repo.users(db, authorIds)).map((u) => [u.id, u.name]));
    return rows.map((row) => toComment(row, row.authorId ? (names.get(row.authorId) ?? 'Former user') : null));
  }
}

export function toComment(row: CommentRow, authorName: string | null): ReviewComment {
  return {
    id: row.id,
    assetId: row.assetId,
    versionNumber: row.versionNumber,
    parentId: row.parentId,
    author: row.authorId ? { kind: 'user', id: row.authorId, name: authorName ?? 'Former user' } : { kind: 'guest', name: row.guestName ?? 'Guest' },
    body: row.body,
    mentions: row.mentions,
    timeRange:
      row.startSeconds !== null && row.startFrame !== null && row.frameRate !== null
        ? { startSeconds: row.startSeconds, endSeconds: row.endSeconds, startFrame: row.startFrame, endFrame: row.endFrame, frameRate: row.frameRate }
        : null,
    region:
      row.regionX !== null && row.regionY !== null && row.regionWidth !== null && row.regionHeight !== null
        ? { x: row.regionX, y: row.regionY, width: row.regionWidth, height: row.regionHeight }
        : null,
    resolved: row.resolvedAt !== null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
  };
}

function versionNotFound(assetId: string, version: number): StockroomError {
  return new StockroomError('NOT_FOUND', `Version ${version} does not exist. List the versions to pick one.`, { assetId, number: version });
}
