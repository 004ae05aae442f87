import type { Prisma } from '@stockroom/prisma';
import type { Db, Tx } from './db.ts';

export const shareLinkInclude = {
  asset: { select: { id: true, name: true, collectionId: true, createdById: true, deletedAt: true } },
  collection: { select: { id: true, name: true } },
} satisfies Prisma.ShareLinkInclude;
export type ShareLinkRow = Prisma.ShareLinkGetPayload<{ include: typeof shareLinkInclude }>;
export type ShareAccessRow = Prisma.ShareAccessGetPayload<object>;

export interface ShareUsage {
  views: number;
  downloads: number;
  lastAccessAt: Date | null;
}

/** Share links and their access log: rows in, rows out. */
export const shareLinksRepository = {
  create(tx: Tx, data: Prisma.ShareLinkUncheckedCreateInput): Promise<ShareLinkRow> {
    return tx.shareLink.create({ data, include: shareLinkInclude });
  },
  byId(db: Db | Tx, id: string): Promise<ShareLinkRow | null> {
    return db.shareLink.findUnique({ where: { id }, include: shareLinkInclude });
  },
  bySecretHash(db: Db | Tx, secretHash: string): Promise<ShareLinkRow | null> {
    return db.shareLink.findUnique({ where: { secretHash }, include: shareLinkInclude });
  },
  list(db: Db | Tx, where: Prisma.ShareLinkWhereInput, take: number): Promise<ShareLinkRow[]> {
    return db.shareLink.findMany({ where, include: shareLinkInclude, orderBy: { createdAt: 'desc' }, take });
  },
  revoke(tx: Tx, id: string): Promise<ShareLinkRow> {
    return tx.shareLink.update({ where: { id }, data: { revokedAt: new Date() }, include: shareLinkInclude });
  },
  async logAccess(db: Db | Tx, entry: { linkId: string; kind: string; ip?: string | null; userAgent?: string | null; detail?: string }): Promise<void> {
    await db.shareAccess.create({
      data: { linkId: entry.linkId, kind: entry.kind, ip: entry.ip ?? null, userAgent: entry.userAgent?.slice(0, 500) ?? null, detail: entry.detail ?? '' },
    });
  },
  accesses(db: Db | Tx, linkId: string, take: number): Promise<ShareAccessRow[]> {
    return db.shareAccess.findMany({ where: { linkId }, orderBy: { id: 'desc' }, take });
  },
  async usage(db: Db | Tx, linkIds: string[]): Promise<Map<string, ShareUsage>> {
    const usage = new Map<string, ShareUsage>(linkIds.map((id) => [id, { views: 0, downloads: 0, lastAccessAt: null }]));
    if (linkIds.length === 0) return usage;
    const rows = await db.shareAccess.groupBy({
      by: ['linkId', 'kind'],
      where: { linkId: { in: linkIds } },
      _count: { _all: true },
      _max: { createdAt: true },
    });
    for (const row of rows) {
      const entry = usage.get(row.linkId)!;
      if (row.kind === 'view') entry.views = row._count._all;
      if (row.kind === 'download') entry.downloads = row._count._all;
      const last = row._max.createdAt;
      if (row.kind !== 'refused' && last && (!entry.lastAccessAt || last > entry.lastAccessAt)) entry.lastAccessAt = last;
    }
    return usage;
  },
  /** The live assets a link shows, in a stable order (a link to one asset: just that one). */
  assetsOf(db: Db | Tx, link: Pick<ShareLinkRow, 'assetId' | 'collectionId'>, take: number) {
    const where: Prisma.AssetWhereInput = link.assetId ? { id: link.assetId, deletedAt: null } : { collectionId: link.collectionId!, deletedAt: null };
    return db.asset.findMany({
      where,
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      take,
      select: { id: true, name: true, kind: true, collectionId: true, createdById: true, headVersion: true },
    });
  },
  users(db: Db | Tx, ids: string[]): Promise<Array<{ id: string; name: string; email: string }>> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  },
};

/** Version and derivative facts the public page serves (derivatives belong to the media pipeline; read-only here). */
export const shareMediaRepository = {
  version(db: Db | Tx, assetId: string, number: number) {
    return db.version.findUnique({
      where: { assetId_number: { assetId, number } },
      select: { number: true, mimeType: true, originalName: true, blobSha256: true, size: true, metadata: true },
    });
  },
  readyDerivatives(db: Db | Tx, assetId: string, number: number) {
    return db.derivative.findMany({
      where: { version: { assetId, number }, status: 'ready', blobSha256: { not: null } },
      select: { preset: true, blobSha256: true, size: true, mimeType: true, width: true, height: true },
    });
  },
};
