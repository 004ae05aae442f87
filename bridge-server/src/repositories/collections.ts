import type { Tx } from './db.ts';
import type { CollectionRow } from './rows.ts';

/** Rows in, rows out for renaming and deleting collections. No rules here. */
export class CollectionsRepository {
  async lock(tx: Tx, id: string) {
    const rows = await tx.$queryRaw<Array<{ id: string; name: string; parentId: string | null }>>`
      SELECT id, name, "parentId" FROM collections WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  async contents(tx: Tx, id: string): Promise<{ children: number; live: number; trashed: number }> {
    const [row] = await tx.$queryRaw<Array<{ children: bigint; live: bigint; trashed: bigint }>>`
      SELECT (SELECT count(*) FROM collections WHERE "parentId" = ${id}::uuid) AS children,
             (SELECT count(*) FROM assets WHERE "collectionId" = ${id}::uuid AND "deletedAt" IS NULL) AS live,
             (SELECT count(*) FROM assets WHERE "collectionId" = ${id}::uuid AND "deletedAt" IS NOT NULL) AS trashed`;
    return { children: Number(row!.children), live: Number(row!.live), trashed: Number(row!.trashed) };
  }

  /** Moves every asset (live and in the trash) out of one collection; returns the live ones moved. */
  async moveAllAssets(tx: Tx, from: string, to: string | null): Promise<string[]> {
    const rows = await tx.$queryRaw<Array<{ id: string; deletedAt: Date | null }>>`
      UPDATE assets SET "collectionId" = ${to}::uuid, "updatedAt" = now() WHERE "collectionId" = ${from}::uuid RETURNING id, "deletedAt"`;
    return rows.filter((r) => r.deletedAt === null).map((r) => r.id);
  }

  /** True when `candidate` is `id` itself or lies anywhere below it. */
  async isSelfOrDescendant(tx: Tx, id: string, candidate: string): Promise<boolean> {
    const [row] = await tx.$queryRaw<Array<{ found: boolean }>>`
      WITH RECURSIVE below AS (
        SELECT id FROM collections WHERE id = ${id}::uuid
        UNION SELECT c.id FROM collections c JOIN below b ON c."parentId" = b.id
      )
      SELECT EXISTS (SELECT 1 FROM below WHERE id = ${candidate}::uuid) AS found`;
    return row!.found;
  }

  async setParent(tx: Tx, id: string, parentId: string | null) {
    return tx.collection.update({ where: { id }, data: { parentId } });
  }

  async update(tx: Tx, id: string, data: { name?: string; description?: string }) {
    return tx.collection.update({ where: { id }, data });
  }

  async delete(tx: Tx, id: string): Promise<void> {
    await tx.collectionGrant.deleteMany({ where: { collectionId: id } });
    await tx.collection.delete({ where: { id } });
  }
}

/** Rows in, rows out: reading and creating collections. */
export const collectionRows = {
  /** By name, up to 1000; `parentId` undefined: every level. */
  async list(tx: Tx, parentId?: string | null): Promise<CollectionRow[]> {
    return tx.collection.findMany({ where: parentId === undefined ? {} : { parentId }, orderBy: { name: 'asc' }, take: 1000 });
  },

  async find(tx: Tx, id: string): Promise<{ id: string; name: string } | null> {
    return tx.collection.findUnique({ where: { id }, select: { id: true, name: true } });
  },

  /** The collection with this slug, or with this id when `id` is given. */
  async bySlugOrId(tx: Tx, slug: string, id?: string): Promise<CollectionRow | null> {
    return tx.collection.findFirst({ where: { OR: [{ slug }, ...(id ? [{ id }] : [])] } });
  },

  async create(tx: Tx, row: { name: string; slug: string; description: string; parentId: string | null }): Promise<CollectionRow> {
    return tx.collection.create({ data: row });
  },
};
