import type { Asset, MethodParsedParams } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import { collectionNotFound, type AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { inferKind, nameFromFile } from './asset-kind.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { AssetFacts, AssetsRepository } from '../repositories/assets.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { toAsset, toUserRef, toVersion } from './mappers.ts';
import type { UploadConsumer } from './uploads-port.ts';

export class AssetsService {
  constructor(
    private readonly db: Db,
    private readonly repo: AssetsRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly uploads: UploadConsumer,
  ) {}

  async create(actor: Actor, params: MethodParsedParams<'assets.create'>): Promise<Asset> {
    const collectionId = params.collectionId ?? null;
    this.access.assert(actor, 'asset.create', { collectionId });
    return this.db.$transaction(async (tx) => {
      if (collectionId) await requireCollection(this.repo, tx, collectionId);
      const upload = await this.uploads.consume(tx, params.uploadId, actor);
      const asset = await this.repo.create(tx, {
        name: params.name ?? nameFromFile(upload.fileName),
        description: params.description ?? '',
        kind: params.kind ?? inferKind(upload.mimeType, upload.fileName),
        tags: normalizeTags(params.tags ?? []),
        metadata: (params.metadata ?? {}) as object,
        collectionId,
        createdById: actor.user.id,
        version: {
          blobSha256: upload.blobSha256,
          size: upload.size,
          mimeType: upload.mimeType,
          originalName: upload.fileName,
          comment: params.comment ?? '',
          authorId: actor.user.id,
          clientApp: actor.clientApp,
          restoredFrom: null,
        },
      });
      const dto = toAsset(asset);
      await this.changes.record(
        tx,
        actor,
        { action: 'asset.create', targetType: 'asset', targetId: asset.id, data: { name: asset.name, sha256: upload.blobSha256 } },
        [
          { event: 'asset.created', data: { asset: dto } },
          { event: 'version.created', data: { assetId: asset.id, collectionId, version: toVersion(asset.versions[0]!) } },
        ],
      );
      return dto;
    });
  }

  async get(actor: Actor, id: string): Promise<Asset> {
    const row = await this.repo.find(this.db, id);
    if (!row || row.deletedAt) throw notFound(id);
    this.access.assert(actor, 'asset.read', { collectionId: row.collectionId, hiddenAs: notFound(id) });
    return toAsset(row);
  }

  async update(actor: Actor, params: MethodParsedParams<'assets.update'>): Promise<Asset> {
    return this.db.$transaction(async (tx) => {
      const current = await lockAssetRow(this.repo, tx, params.id);
      this.access.assert(actor, 'asset.edit', { collectionId: current.collectionId, hiddenAs: notFound(params.id) });
      if (params.collectionId !== undefined && params.collectionId !== current.collectionId) {
        // Moving takes the asset out of one collection (as deleting would) and adds it to another.
        this.access.assert(actor, 'asset.delete', { collectionId: current.collectionId, createdById: current.createdById });
        this.access.assert(actor, 'asset.create', { collectionId: params.collectionId });
        if (params.collectionId) await requireCollection(this.repo, tx, params.collectionId);
      }
      const row = await this.repo.update(tx, params.id, {
        name: params.name,
        description: params.description,
        tags: params.tags ? normalizeTags(params.tags) : undefined,
        metadata: params.metadata as object | undefined,
        collectionId: params.collectionId,
      });
      const dto = toAsset(row);
      const changed = Object.keys(params).filter((k) => k !== 'id');
      await this.changes.record(tx, actor, { action: 'asset.update', targetType: 'asset', targetId: row.id, data: { changed } }, [
        { event: 'asset.updated', data: { asset: dto } },
      ]);
      return dto;
    });
  }

  async delete(actor: Actor, id: string): Promise<{ id: string; deletedAt: string }> {
    return this.db.$transaction(async (tx) => {
      const current = await lockAssetRow(this.repo, tx, id);
      this.access.assert(actor, 'asset.delete', { collectionId: current.collectionId, createdById: current.createdById, hiddenAs: notFound(id) });
      const lock = await this.repo.lock(tx, id);
      if (lock && lock.holderId !== actor.user.id) {
        throw new StockroomError('ASSET_LOCKED', `${lock.holder.name} has this asset checked out. Ask them to check it in or release it before deleting.`, {
          holder: toUserRef(lock.holder),
          clientApp: lock.clientApp,
          since: lock.createdAt.toISOString(),
        });
      }
      if (lock) await this.repo.deleteLock(tx, id);
      const deletedAt = new Date();
      const row = await this.repo.markDeleted(tx, id, deletedAt);
      await this.changes.record(tx, actor, { action: 'asset.delete', targetType: 'asset', targetId: id }, [
        { event: 'asset.deleted', data: { assetId: id, collectionId: row.collectionId, by: toUserRef(actor.user) } },
      ]);
      return { id, deletedAt: deletedAt.toISOString() };
    });
  }
}

export function notFound(id: string): StockroomError {
  return new StockroomError('NOT_FOUND', 'This asset does not exist or was deleted. Search again to find it.', { assetId: id });
}

/** Reads a live asset and locks its row until the transaction ends: check-ins and edits of one asset queue up here. */
export async function lockAssetRow(repo: AssetsRepository, tx: Tx, id: string): Promise<AssetFacts> {
  const row = await repo.lockRow(tx, id);
  if (!row || row.deletedAt) throw notFound(id);
  return row;
}

async function requireCollection(repo: AssetsRepository, tx: Tx, id: string): Promise<void> {
  if (!(await repo.collectionExists(tx, id))) throw collectionNotFound(id);
}

function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}
