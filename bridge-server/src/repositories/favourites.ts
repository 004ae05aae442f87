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

  /** Adds the stars not there yet, starred at the given moments (a star already there keeps its own); the ids that were new. */
  async add(tx: Tx, userId: string, stars: Array<{ assetId: string; at: Date }>): Promise<string[]> {
    const rows = await tx.favourite.createManyAndReturn({
      data: stars.map((star) => ({ userId, assetId: star.assetId, createdAt: star.at })),
      skipDuplicates: true,
      select: { assetId: true },
    });
    return rows.map((row) => row.assetId);
  },

  /** True when there was a star to remove. */
  async remove(tx: Tx, userId: string, assetId: string): Promise<boolean> {
    const { count } = await tx.favourite.deleteMany({ where: { userId, assetId } });
    return count > 0;
  },
};
