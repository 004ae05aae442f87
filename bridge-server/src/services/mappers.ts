import type { Asset, Collection, Lock, Placement, UserRef, Version } from '@stockroom/shared-types';
import type { AssetForVersion, LockFacts, UserRefRow } from '../repositories/assets.ts';
import type { CollectionRow, PlacementRow, VersionRow } from '../repositories/rows.ts';

export type { LockRow } from '../repositories/rows.ts';

export function toUserRef(user: { id: string; name: string; email: string }): UserRef {
  return { id: user.id, name: user.name, email: user.email };
}

export function contentUrl(assetId: string, number: number): string {
  return `/api/assets/${assetId}/versions/${number}/content`;
}

/** A version row with its author (any object with the user's id, name and email). */
export function toVersion(row: Omit<VersionRow, 'author'> & { author: { id: string; name: string; email: string } }): Version {
  return {
    assetId: row.assetId,
    number: row.number,
    sha256: row.blobSha256,
    size: Number(row.size),
    mimeType: row.mimeType,
    originalName: row.originalName,
    comment: row.comment,
    author: toUserRef(row.author),
    clientApp: row.clientApp,
    restoredFrom: row.restoredFrom,
    metadata: row.metadata as Record<string, unknown>,
    createdAt: row.createdAt.toISOString(),
    contentUrl: contentUrl(row.assetId, row.number),
  };
}

export function toLock(row: LockFacts): Lock {
  return { assetId: row.assetId, holder: toUserRef(row.holder), clientApp: row.clientApp, since: row.createdAt.toISOString() };
}

/** An asset row with its creator, its lock and its head version (the first of `versions`, if any). */
export type AssetView = AssetForVersion & { versions: Array<Omit<VersionRow, 'author'> & { author: UserRefRow }> };

export function toAsset(row: AssetView): Asset {
  const head = row.versions[0];
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    kind: row.kind,
    tags: row.tags,
    metadata: row.metadata as Record<string, unknown>,
    collectionId: row.collectionId,
    headVersion: row.headVersion,
    head: head ? toVersion(head) : null,
    lock: row.lock ? toLock(row.lock) : null,
    createdBy: toUserRef(row.createdBy),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

export function toCollection(row: CollectionRow): Collection {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    parentId: row.parentId,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toPlacement(row: PlacementRow): Placement {
  return {
    id: row.id,
    assetId: row.assetId,
    versionNumber: row.versionNumber,
    headVersion: row.asset.headVersion,
    updateAvailable: row.asset.headVersion > row.versionNumber,
    documentId: row.documentId,
    documentName: row.documentName,
    itemId: row.itemId,
    linked: row.linked,
    app: row.app,
    user: toUserRef(row.user),
    updatedAt: row.updatedAt.toISOString(),
  };
}
