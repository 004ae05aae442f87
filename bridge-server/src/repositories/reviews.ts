import type { Prisma, ReviewStatus } from '@stockroom/prisma';
import type { Db, Tx } from './db.ts';

export type ReviewDecisionRow = Prisma.ReviewDecisionGetPayload<object>;
export type ReviewRuleRow = Prisma.CollectionReviewRuleGetPayload<object>;

/** Review status per version, its history and the collections' review rules: rows in, rows out. */
export const reviewsRepository = {
  status(db: Db | Tx, assetId: string, versionNumber: number): Promise<{ status: ReviewStatus } | null> {
    return db.versionReview.findUnique({ where: { assetId_versionNumber: { assetId, versionNumber } }, select: { status: true } });
  },
  history(db: Db | Tx, assetId: string, versionNumber: number): Promise<ReviewDecisionRow[]> {
    return db.reviewDecision.findMany({ where: { assetId, versionNumber }, orderBy: { id: 'desc' } });
  },
  async setStatus(tx: Tx, assetId: string, versionNumber: number, status: ReviewStatus, actorId: string | null, note: string): Promise<void> {
    await tx.versionReview.upsert({
      where: { assetId_versionNumber: { assetId, versionNumber } },
      create: { assetId, versionNumber, status, updatedById: actorId },
      update: { status, updatedById: actorId, updatedAt: new Date() },
    });
    await tx.reviewDecision.create({ data: { assetId, versionNumber, status, actorId, note } });
  },
  rule(db: Db | Tx, collectionId: string): Promise<ReviewRuleRow | null> {
    return db.collectionReviewRule.findUnique({ where: { collectionId } });
  },
  setRule(tx: Tx, collectionId: string, requireApproval: boolean, approverId: string | null): Promise<ReviewRuleRow> {
    return tx.collectionReviewRule.upsert({
      where: { collectionId },
      create: { collectionId, requireApproval, approverId },
      update: { requireApproval, approverId, updatedAt: new Date() },
    });
  },
  users(db: Db | Tx, ids: string[]): Promise<Array<{ id: string; name: string; email: string }>> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  },
};
