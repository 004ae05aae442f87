import { Prisma } from '@stockroom/prisma';
import type { Db, Tx } from './db.ts';

export interface LockedAsset {
  id: string;
  collectionId: string | null;
  deletedAt: Date | null;
}

/** Metadata schemas, assets' field values and tag counts: rows in, rows out. */
export class MetadataRepository {
  constructor(private readonly db: Db) {}

  schema(collectionId: string, tx: Tx | Db = this.db) {
    return tx.metadataSchema.findUnique({ where: { collectionId } });
  }

  collection(collectionId: string, tx: Tx | Db = this.db) {
    return tx.collection.findUnique({ where: { id: collectionId }, select: { id: true, name: true } });
  }

  /** Locks the schema row for the rest of the transaction; null when the collection has none yet. */
  async lockSchema(tx: Tx, collectionId: string): Promise<{ updatedAt: Date } | null> {
    const rows = await tx.$queryRaw<
      Array<{ updatedAt: Date }>
    >`SELECT "updatedAt" FROM metadata_schemas WHERE "collectionId" = ${collectionId}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  saveSchema(tx: Tx, collectionId: string, fields: unknown[]) {
    const json = fields as Prisma.InputJsonValue;
    return tx.metadataSchema.upsert({ where: { collectionId }, create: { collectionId, fields: json }, update: { fields: json } });
  }

  asset(id: string, tx: Tx | Db = this.db) {
    return tx.asset.findUnique({ where: { id }, select: { id: true, collectionId: true, deletedAt: true, createdById: true } });
  }

  /** Reads the asset and locks its row, so saves of one asset's values queue up. */
  async lockAsset(tx: Tx, id: string): Promise<LockedAsset | null> {
    const rows = await tx.$queryRaw<LockedAsset[]>`SELECT id, "collectionId", "deletedAt" FROM assets WHERE id = ${id}::uuid FOR UPDATE`;
    return rows[0] ?? null;
  }

  values(assetId: string, tx: Tx | Db = this.db) {
    return tx.assetFieldValues.findUnique({ where: { assetId } });
  }

  saveValues(tx: Tx, assetId: string, values: Record<string, unknown>) {
    const json = values as Prisma.InputJsonValue;
    return tx.assetFieldValues.upsert({ where: { assetId }, create: { assetId, values: json }, update: { values: json } });
  }

  users(ids: string[], tx: Tx | Db = this.db) {
    return tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true, disabledAt: true } });
  }

  activeUsers(limit: number) {
    return this.db.user.findMany({ where: { disabledAt: null }, select: { id: true, name: true, email: true }, orderBy: { name: 'asc' }, take: limit });
  }

  /** Tags of live assets in these collections (and unfiled ones) matching the pattern, most used first. */
  tagCounts(readable: 'all' | readonly string[], pattern: string, limit: number) {
    const scope =
      readable === 'all'
        ? Prisma.empty
        : readable.length === 0
          ? Prisma.sql`AND a."collectionId" IS NULL`
          : Prisma.sql`AND (a."collectionId" IS NULL OR a."collectionId" IN (${Prisma.join(readable.map((id) => Prisma.sql`${id}::uuid`))}))`;
    return this.db.$queryRaw<Array<{ tag: string; count: bigint; starts: boolean }>>`
      SELECT t.tag, count(*) AS count, bool_or(lower(t.tag) LIKE lower(${pattern}) || '%') AS starts
      FROM assets a, unnest(a.tags) AS t(tag)
      WHERE a."deletedAt" IS NULL AND t.tag ILIKE '%' || ${pattern} || '%' ${scope}
      GROUP BY t.tag
      ORDER BY starts DESC, count DESC, t.tag ASC
      LIMIT ${limit}`;
  }
}
