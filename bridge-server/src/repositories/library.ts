import type { Db, Tx } from './db.ts';
import { assetInclude } from './rows.ts';

/** What the library's rules need to know of an asset: where it is, who made it, whether it is in the trash. */
export interface AssetFacts {
  id: string;
  name: string;
  collectionId: string | null;
  createdById: string;
  deletedAt: Date | null;
  tags: string[];
}

/** Which deleted assets a caller may see in the trash: everything, or these collections plus their own unfiled assets. */
export type TrashScope = { all: true } | { all: false; collectionIds: string[]; userId: string };

/** Rows in, rows out: the SQL of trash, restore, purge and zip downloads. No rules here. */
export class LibraryRepository {
  constructor(private readonly db: Db) {}

  async facts(ids: string[]): Promise<AssetFacts[]> {
    return this.db.asset.findMany({
      where: { id: { in: ids } },
      select: { id: true, name: true, collectionId: true, createdById: true, deletedAt: true, tags: true },
    });
  }

  private trashWhere(scope: TrashScope) {
    return {
      deletedAt: { not: null },
      ...(scope.all ? {} : { OR: [{ collectionId: { in: scope.collectionIds } }, { collectionId: null, createdById: scope.userId }] }),
    };
  }

  /** Most recently deleted first; the cursor is the last row's (deletedAt, id). */
  async trashPage(scope: TrashScope, after: { deletedAt: Date; id: string } | null, limit: number) {
    const where = this.trashWhere(scope);
    const rows = await this.db.asset.findMany({
      where: after ? { AND: [where, { OR: [{ deletedAt: { lt: after.deletedAt } }, { deletedAt: after.deletedAt, id: { lt: after.id } }] }] } : where,
      orderBy: [{ deletedAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
      include: assetInclude,
    });
    const total = await this.db.asset.count({ where });
    return { rows: rows.slice(0, limit), more: rows.length > limit, total };
  }

  /** Reads a deleted asset and locks its row for the transaction; null when it is not in the trash. */
  async lockDeleted(tx: Tx, id: string): Promise<AssetFacts | null> {
    const rows = await tx.$queryRaw<AssetFacts[]>`
      SELECT id, name, "collectionId", "createdById", "deletedAt", tags FROM assets WHERE id = ${id}::uuid AND "deletedAt" IS NOT NULL FOR UPDATE`;
    return rows[0] ?? null;
  }

  async undelete(tx: Tx, id: string) {
    return tx.asset.update({ where: { id }, data: { deletedAt: null }, include: assetInclude });
  }

  /** Removes for good the assets deleted before `before` (their versions, derivatives and placements go with them), at most `limit`. */
  async purgeDeletedBefore(tx: Tx, before: Date, limit: number): Promise<Array<{ id: string; name: string; collectionId: string | null }>> {
    return tx.$queryRaw`
      DELETE FROM assets WHERE id IN (
        SELECT id FROM assets WHERE "deletedAt" < ${before} ORDER BY "deletedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING id, name, "collectionId"`;
  }

  /** Live assets with their head version's stored bytes, for a zip download. */
  async heads(ids: string[]) {
    return this.db.asset.findMany({
      where: { id: { in: ids }, deletedAt: null },
      select: {
        id: true,
        name: true,
        collectionId: true,
        headVersion: true,
        versions: {
          where: { number: { gt: 0 } },
          orderBy: { number: 'desc' },
          take: 1,
          select: { number: true, blobSha256: true, size: true, originalName: true },
        },
      },
    });
  }

  /** Live assets whose head version has one of these digests. */
  async withHeadBytes(sha256: string[]) {
    return this.db.$queryRaw<Array<{ id: string; name: string; collectionId: string | null; sha256: string }>>`
      SELECT a.id, a.name, a."collectionId", v."blobSha256" AS sha256
        FROM assets a JOIN versions v ON v."assetId" = a.id AND v.number = a."headVersion"
       WHERE a."deletedAt" IS NULL AND v."blobSha256" = ANY(${sha256}::text[])
       ORDER BY a."createdAt" LIMIT 1000`;
  }

  /** Ready thumbnails of the head versions of these live assets. */
  async headThumbnails(assetIds: string[]) {
    return this.db.$queryRaw<Array<{ assetId: string; collectionId: string | null; number: number }>>`
      SELECT a.id AS "assetId", a."collectionId", v.number
        FROM assets a
        JOIN versions v ON v."assetId" = a.id AND v.number = a."headVersion"
        JOIN derivatives d ON d."versionId" = v.id AND d.preset = 'thumbnail' AND d.status = 'ready'
       WHERE a.id = ANY(${assetIds}::uuid[]) AND a."deletedAt" IS NULL`;
  }
}
