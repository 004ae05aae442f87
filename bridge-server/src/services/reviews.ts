import { StockroomError, type MethodParsedParams, type ReviewRule, type ReviewStatus, type VersionReview } from '@stockroom/shared-types';
import { reviewsRepository as repo } from '../repositories/reviews.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { notFound } from './assets.ts';
import type { ChangeRecorder, OutgoingEvent } from './change-recorder.ts';
import { assetAccessFacts } from '../repositories/assets.ts';
import { collectionRows } from '../repositories/collections.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { userRows } from '../repositories/people.ts';

const STATUS_WORDS: Record<ReviewStatus, string> = { in_review: 'in review', changes_requested: 'changes requested', approved: 'approved' };

/**
 * Approvals: each version has a review status (none, in review, changes requested,
 * approved), set by editors of its collection. A collection may require approval: every
 * new version there starts "in review" (set in the check-in's own transaction), and when
 * it names an approver, only that person can approve.
 */
export class ReviewsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {
    changes.on(['version.created'], (tx, event) => this.onVersionCreated(tx, event));
  }

  async get(actor: Actor, params: MethodParsedParams<'reviews.get'>): Promise<VersionReview> {
    const asset = await this.asset(this.db, params.assetId);
    this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId });
    const version = params.version ?? asset.headVersion;
    if (version > asset.headVersion || version < 1) throw versionNotFound(asset.id, version);
    return this.review(this.db, asset.id, version);
  }

  async set(actor: Actor, params: MethodParsedParams<'reviews.set'>): Promise<VersionReview> {
    return this.db.$transaction(async (tx) => {
      const asset = await this.asset(tx, params.assetId);
      this.access.assert(actor, 'asset.review', { collectionId: asset.collectionId, createdById: asset.createdById });
      if (params.version > asset.headVersion) throw versionNotFound(asset.id, params.version);
      if (params.status === 'approved' && asset.collectionId) {
        const rule = await repo.rule(tx, asset.collectionId);
        if (rule?.requireApproval && rule.approverId && rule.approverId !== actor.user.id) {
          const [approver] = await repo.users(tx, [rule.approverId]);
          throw new StockroomError(
            'FORBIDDEN',
            `Only ${approver?.name ?? 'the named approver'} can approve versions in this collection. Ask them, or request changes instead.`,
            { reason: 'approver-required', approverId: rule.approverId },
          );
        }
      }
      await repo.setStatus(tx, asset.id, params.version, params.status, actor.user.id, params.note ?? '');
      const review = await this.review(tx, asset.id, params.version);
      await this.changes.record(
        tx,
        actor,
        {
          action: 'review.set',
          targetType: 'asset',
          targetId: asset.id,
          data: { versionNumber: params.version, status: params.status, note: params.note ?? '' },
        },
        [{ event: 'review.changed', data: { assetId: asset.id, collectionId: asset.collectionId, review } }],
      );
      return review;
    });
  }

  async getRule(actor: Actor, params: MethodParsedParams<'reviews.getRule'>): Promise<ReviewRule> {
    await this.collection(this.db, params.collectionId);
    this.access.assert(actor, 'collection.read', { collectionId: params.collectionId });
    return this.rule(this.db, params.collectionId);
  }

  async setRule(actor: Actor, params: MethodParsedParams<'reviews.setRule'>): Promise<ReviewRule> {
    return this.db.$transaction(async (tx) => {
      await this.collection(tx, params.collectionId);
      this.access.assert(actor, 'collection.manage', { collectionId: params.collectionId });
      const approverId = params.approverId ?? null;
      if (approverId) {
        const approver = await userRows.byId(tx, approverId);
        const grants = approver ? await this.access.grantsOf(approverId, tx) : new Map();
        const mayReview =
          approver !== null &&
          approver.disabledAt === null &&
          this.access.can({ user: { id: approverId, name: '', email: '', role: approver.role }, clientApp: 'script', grants }, 'asset.review', {
            collectionId: params.collectionId,
          });
        if (!mayReview) {
          throw new StockroomError(
            'VALIDATION_FAILED',
            'The approver must be an active user with the editor role (or more) in this collection. Grant it first.',
            {
              approverId,
            },
          );
        }
      }
      await repo.setRule(tx, params.collectionId, params.requireApproval, approverId);
      await this.changes.record(
        tx,
        actor,
        { action: 'review.rule', targetType: 'collection', targetId: params.collectionId, data: { requireApproval: params.requireApproval, approverId } },
        [],
      );
      return this.rule(tx, params.collectionId);
    });
  }

  private async onVersionCreated(tx: Tx, event: OutgoingEvent): Promise<void> {
    if (event.event !== 'version.created' || !event.data.collectionId) return;
    const rule = await repo.rule(tx, event.data.collectionId);
    if (!rule?.requireApproval) return;
    const { assetId, version } = event.data;
    await repo.setStatus(tx, assetId, version.number, 'in_review', null, 'The collection requires approval of new versions.');
    const review = await this.review(tx, assetId, version.number);
    await this.changes.record(
      tx,
      null,
      { action: 'review.set', targetType: 'asset', targetId: assetId, data: { versionNumber: version.number, status: 'in_review', by: 'collection rule' } },
      [{ event: 'review.changed', data: { assetId, collectionId: event.data.collectionId, review } }],
    );
  }

  private async review(db: Db | Tx, assetId: string, versionNumber: number): Promise<VersionReview> {
    const [current, history] = await Promise.all([repo.status(db, assetId, versionNumber), repo.history(db, assetId, versionNumber)]);
    const people = new Map((await repo.users(db, [...new Set(history.flatMap((h) => (h.actorId ? [h.actorId] : [])))])).map((u) => [u.id, u]));
    return {
      assetId,
      versionNumber,
      status: current?.status ?? null,
      history: history.map((h) => ({ status: h.status, by: h.actorId ? (people.get(h.actorId) ?? null) : null, note: h.note, at: h.createdAt.toISOString() })),
    };
  }

  private async rule(db: Db | Tx, collectionId: string): Promise<ReviewRule> {
    const row = await repo.rule(db, collectionId);
    const [approver] = row?.approverId ? await repo.users(db, [row.approverId]) : [];
    return { collectionId, requireApproval: row?.requireApproval ?? false, approver: approver ?? null };
  }

  private async asset(db: Db | Tx, assetId: string) {
    const asset = await assetAccessFacts(db, assetId);
    if (!asset || asset.deletedAt) throw notFound(assetId);
    return asset;
  }

  private async collection(db: Db | Tx, collectionId: string): Promise<void> {
    const found = await collectionRows.find(db, collectionId);
    if (!found) throw new StockroomError('NOT_FOUND', 'No such collection. List the collections to pick one.', { collectionId });
  }
}

export function describeStatus(status: ReviewStatus | null): string {
  return status ? STATUS_WORDS[status] : 'not in review';
}

function versionNotFound(assetId: string, version: number): StockroomError {
  return new StockroomError('NOT_FOUND', `Version ${version} does not exist. List the versions to pick one.`, { assetId, number: version });
}
