import type { Tx } from './db.ts';

/** Rows in, rows out: a person's starred assets. No rules here (the favourites service decides). */
export const favouriteRows = {
  /** Until the transaction ends, nobody else changes this person's stars (so the limit holds under concurrent stars). */
  async lockPerson(tx: Tx, userId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('favourites:' || ${userId}))`;
  },

  /** The person's stars on live assets, most recent first, with where each asset lives (for the access rules). */
  async ofUser(tx: Tx, userId: string, limit: number): Promise<Array<{ assetId: string; collectionId: string | null }>> {
    const rows = await tx.favourite.findMany({
      where: { userId, asset: { deletedAt: null } },
      orderBy: [{ createdAt: 'desc' }, { assetId: 'asc' }],
      take: limit,
      select: { assetId: true, asset: { select: { collectionId: true } } },
    });
    return rows.map((row) => ({ assetId: row.assetId, collectionId: row.asset.collectionId }));
  },

  async count(tx: Tx, userId: string): Promise<number> {
    return tx.favourite.count({ where: { userId } });
  },

  /** Adds the stars not there yet (a star already there keeps its date); how many were new. */
  async add(tx: Tx, userId: string, assetIds: string[]): Promise<number> {
    const { count } = await tx.favourite.createMany({ data: assetIds.map((assetId) => ({ userId, assetId })), skipDuplicates: true });
    return count;
  },

  /** True when there was a star to remove. */
  async remove(tx: Tx, userId: string, assetId: string): Promise<boolean> {
    const { count } = await tx.favourite.deleteMany({ where: { userId, assetId } });
    return count > 0;
  },
};
