import type { Db, Tx } from './db.ts';

const assetFacts = {
  select: {
    id: true,
    name: true,
    kind: true,
    tags: true,
    headVersion: true,
    collectionId: true,
    deletedAt: true,
    versions: { select: { number: true, mimeType: true }, orderBy: { number: 'desc' as const }, take: 1 },
  },
} as const;

const kitInclude = {
  collection: { select: { name: true, description: true } },
  sections: {
    orderBy: { position: 'asc' as const },
    include: { entries: { orderBy: { position: 'asc' as const }, include: { asset: assetFacts } } },
  },
} as const;

export type BrandKitRow = NonNullable<Awaited<ReturnType<BrandKitsRepository['find']>>>;
export type BrandAssetRow = Awaited<ReturnType<BrandKitsRepository['assets']>>[number];
export type BrandEntryRow = NonNullable<Awaited<ReturnType<BrandKitsRepository['entry']>>>;

export interface NewSection {
  title: string;
  entries: Array<{
    assetId: string;
    variants: Array<{ name: string; assetId: string }>;
    usageNotes: string;
    expiresAt: Date | null;
    withdrawnAt: Date | null;
    withdrawnReason: string;
  }>;
}

/** Brand kits, their sections and entries: rows in, rows out. */
export class BrandKitsRepository {
  constructor(private readonly db: Db) {}

  find(collectionId: string, tx: Tx | Db = this.db) {
    return tx.brandKit.findUnique({ where: { collectionId }, include: kitInclude });
  }

  summaries() {
    return this.db.brandKit.findMany({
      include: { collection: { select: { name: true } }, sections: { select: { _count: { select: { entries: true } } } } },
      orderBy: { collection: { name: 'asc' } },
      take: 1000,
    });
  }

  assets(ids: string[], tx: Tx | Db = this.db) {
    return tx.asset.findMany({ where: { id: { in: ids } }, ...assetFacts });
  }

  entry(collectionId: string, entryId: string) {
    return this.db.brandEntry.findFirst({ where: { id: entryId, section: { collectionId } }, include: { asset: assetFacts } });
  }

  /** Locks the kit's row for the rest of the transaction (creating it if needed); returns its updatedAt before this change. */
  async lockForEdit(tx: Tx, collectionId: string): Promise<{ updatedAt: Date; created: boolean }> {
    const rows = await tx.$queryRaw<Array<{ updatedAt: Date }>>`SELECT "updatedAt" FROM brand_kits WHERE "collectionId" = ${collectionId}::uuid FOR UPDATE`;
    if (rows[0]) return { updatedAt: rows[0].updatedAt, created: false };
    const row = await tx.brandKit.create({ data: { collectionId } });
    return { updatedAt: row.updatedAt, created: true };
  }

  async replaceSections(tx: Tx, collectionId: string, sections: NewSection[]): Promise<void> {
    await tx.brandSection.deleteMany({ where: { collectionId } });
    for (const [position, section] of sections.entries()) {
      await tx.brandSection.create({
        data: {
          collectionId,
          title: section.title,
          position,
          entries: { create: section.entries.map((entry, index) => ({ ...entry, position: index })) },
        },
      });
    }
    // Touch the kit so its updatedAt (the edit's base) moves on even when only entries changed.
    await tx.brandKit.update({ where: { collectionId }, data: { updatedAt: new Date() } });
  }

  remove(tx: Tx, collectionId: string) {
    return tx.brandKit.deleteMany({ where: { collectionId } });
  }

  collection(collectionId: string, tx: Tx | Db = this.db) {
    return tx.collection.findUnique({ where: { id: collectionId }, select: { id: true, name: true } });
  }

  headVersion(assetId: string, number: number) {
    return this.db.version.findUnique({
      where: { assetId_number: { assetId, number } },
      select: { blobSha256: true, size: true, mimeType: true, originalName: true, number: true },
    });
  }
}
