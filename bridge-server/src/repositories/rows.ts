import type { Prisma } from '@stockroom/prisma';

/** Prisma `include` that loads everything an Asset DTO shows. */
export const assetInclude = {
  createdBy: true,
  lock: { include: { holder: true } },
  versions: { orderBy: { number: 'desc' }, take: 1, include: { author: true } },
} satisfies Prisma.AssetInclude;

export type AssetRow = Prisma.AssetGetPayload<{ include: typeof assetInclude }>;
export type VersionRow = Prisma.VersionGetPayload<{ include: { author: true } }>;
export type LockRow = Prisma.LockGetPayload<{ include: { holder: true } }>;
export type CollectionRow = Prisma.CollectionGetPayload<object>;
export type PlacementRow = Prisma.PlacementGetPayload<{ include: { user: true; asset: { select: { headVersion: true } } } }>;
