import type { Db } from './db.ts';

/** The facts a bulk derivative action needs of each asset: rows in, rows out. */
export class DerivativeActionsRepository {
  constructor(private readonly db: Db) {}

  assets(ids: string[]) {
    return this.db.asset.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, collectionId: true, createdById: true, deletedAt: true } });
  }
}
