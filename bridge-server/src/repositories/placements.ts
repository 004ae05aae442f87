import type { Tx } from './db.ts';
import type { PlacementRow } from './rows.ts';

export interface NewPlacementRow {
  assetId: string;
  versionNumber: number;
  itemId: string;
  linked: boolean;
  documentId: string;
  documentName: string;
  app: string;
  userId: string;
}

/** Rows in, rows out: which document uses which version of which asset. */
export const placementRows = {
  /** Replaces every placement of one document. */
  async replaceDocument(tx: Tx, documentId: string, rows: NewPlacementRow[]): Promise<void> {
    await tx.placement.deleteMany({ where: { documentId } });
    if (rows.length > 0) await tx.placement.createMany({ data: rows, skipDuplicates: true });
  },

  /** Placements of live assets, newest first, up to 5000, with the asset's head and collection. */
  async find(tx: Tx, filter: { assetId?: string; documentId?: string }): Promise<Array<PlacementRow & { asset: { collectionId: string | null } }>> {
    return tx.placement.findMany({
      where: { assetId: filter.assetId, documentId: filter.documentId, asset: { deletedAt: null } },
      include: { user: true, asset: { select: { headVersion: true, collectionId: true } } },
      orderBy: { updatedAt: 'desc' },
      take: 5000,
    });
  },
};
