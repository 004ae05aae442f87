import type { Prisma } from '@stockroom/prisma';
import type { Db, Tx } from './db.ts';

export type CommentRow = Prisma.ReviewCommentGetPayload<object>;
export type NewCommentRow = Prisma.ReviewCommentUncheckedCreateInput;

/** Review comments: rows in, rows out. */
export const commentsRepository = {
  /** Every comment of an asset made on `upToVersion` or before, oldest first. */
  upToVersion(db: Db | Tx, assetId: string, upToVersion: number): Promise<CommentRow[]> {
    return db.reviewComment.findMany({ where: { assetId, versionNumber: { lte: upToVersion } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  },
  byId(db: Db | Tx, id: string): Promise<CommentRow | null> {
    return db.reviewComment.findUnique({ where: { id } });
  },
  create(tx: Tx, data: NewCommentRow): Promise<CommentRow> {
    return tx.reviewComment.create({ data });
  },
  update(tx: Tx, id: string, data: Prisma.ReviewCommentUncheckedUpdateInput): Promise<CommentRow> {
    return tx.reviewComment.update({ where: { id }, data });
  },
  /** Deletes a comment and its replies; answers how many rows went. */
  async deleteThread(tx: Tx, id: string): Promise<number> {
    const replies = await tx.reviewComment.deleteMany({ where: { parentId: id } });
    await tx.reviewComment.delete({ where: { id } });
    return replies.count + 1;
  },
  /** Names of the users who wrote or are mentioned in comments. */
  users(db: Db | Tx, ids: string[]): Promise<Array<{ id: string; name: string; email: string }>> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  },
};
