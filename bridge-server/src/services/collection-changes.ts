import { StockroomError, type Collection, type MethodParsedParams, type MethodResult } from '@stockroom/shared-types';
import type { CollectionsRepository } from '../repositories/collections.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import { liveAssets } from '../repositories/assets.ts';
import type { Db } from '../repositories/db.ts';
import { toAsset, toCollection } from './mappers.ts';

/**
 * Renaming, moving and deleting collections. Deleting never strands an asset: a collection that
 * holds any (in the trash too) goes only when the caller says where they move, and the
 * move, the audit rows, the events and the deletion are one transaction.
 */
export class CollectionChangesService {
  constructor(
    private readonly db: Db,
    private readonly repo: CollectionsRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {}

  async update(actor: Actor, params: MethodParsedParams<'collections.update'>): Promise<Collection> {
    return this.db.$transaction(async (tx) => {
      const current = await this.repo.lock(tx, params.id);
      if (!current) throw notFound(params.id);
      this.access.assert(actor, 'collection.manage', { collectionId: params.id });
      const row = await this.repo.update(tx, params.id, { name: params.name, description: params.description });
      await this.changes.record(
        tx,
        actor,
        { action: 'collection.update', targetType: 'collection', targetId: row.id, data: { from: current.name, name: row.name } },
        [{ event: 'grants.changed', data: { collectionId: row.id } }],
      );
      return toCollection(row);
    });
  }

  /**
   * Re-parents a collection. Both rows are locked first, so two crossing moves (A under B,
   * B under A) cannot both pass the cycle check: the second one waits and then sees the first.
   */
  async move(actor: Actor, params: MethodParsedParams<'collections.move'>): Promise<Collection> {
    return this.db.$transaction(async (tx) => {
      const current = await this.repo.lock(tx, params.id);
      if (!current) throw notFound(params.id);
      this.access.assert(actor, 'collection.manage', { collectionId: params.id });
      const parent = params.parentId === null ? null : await this.repo.lock(tx, params.parentId);
      if (params.parentId !== null && !parent) throw notFound(params.parentId);
      this.access.assert(actor, 'collection.create', { collectionId: params.parentId });
      if (params.parentId !== null && (await this.repo.isSelfOrDescendant(tx, params.id, params.parentId))) {
        throw new StockroomError(
          'CONFLICT',
          params.parentId === params.id
            ? `“${current.name}” cannot be moved into itself. Choose another collection, or the top level.`
            : `“${parent!.name}” lies inside “${current.name}”, so “${current.name}” cannot move into it. Choose a collection outside it, or the top level.`,
          { reason: 'COLLECTION_CYCLE', collectionId: params.id, parentId: params.parentId },
        );
      }
      const row = await this.repo.setParent(tx, params.id, params.parentId);
      await this.changes.record(
        tx,
        actor,
        { action: 'collection.move', targetType: 'collection', targetId: row.id, data: { name: row.name, from: current.parentId, parentId: params.parentId } },
        [{ event: 'grants.changed', data: { collectionId: row.id } }],
      );
      return toCollection(row);
    });
  }

  async delete(actor: Actor, params: MethodParsedParams<'collections.delete'>): Promise<MethodResult<'collections.delete'>> {
    return this.db.$transaction(async (tx) => {
      const current = await this.repo.lock(tx, params.id);
      if (!current) throw notFound(params.id);
      this.access.assert(actor, 'collection.manage', { collectionId: params.id });
      const contents = await this.repo.contents(tx, params.id);
      if (contents.children > 0) {
        throw new StockroomError('CONFLICT', `“${current.name}” has ${contents.children} sub-collection(s). Delete or move them first.`, {
          children: contents.children,
        });
      }
      const held = contents.live + contents.trashed;
      let moved: string[] = [];
      if (held > 0) {
        if (params.moveAssetsTo === undefined) {
          throw new StockroomError(
            'CONFLICT',
            `“${current.name}” holds ${contents.live} asset(s)${contents.trashed ? ` and ${contents.trashed} in the trash` : ''}. Choose where they go (moveAssetsTo: a collection, or null for no collection), or move them first.`,
            { assets: contents.live, trashed: contents.trashed },
          );
        }
        if (params.moveAssetsTo === params.id)
          throw new StockroomError('VALIDATION_FAILED', 'Move the assets to another collection than the one being deleted.');
        if (params.moveAssetsTo !== null && !(await this.repo.lock(tx, params.moveAssetsTo))) throw notFound(params.moveAssetsTo);
        this.access.assert(actor, 'asset.create', { collectionId: params.moveAssetsTo });
        moved = await this.repo.moveAllAssets(tx, params.id, params.moveAssetsTo);
        const assets = await liveAssets(tx, moved);
        await this.changes.record(
          tx,
          actor,
          null,
          assets.map((a) => ({ event: 'asset.updated' as const, data: { asset: toAsset(a) } })),
        );
      }
      await this.repo.delete(tx, params.id);
      await this.changes.record(
        tx,
        actor,
        {
          action: 'collection.delete',
          targetType: 'collection',
          targetId: params.id,
          data: { name: current.name, movedAssets: held, moveAssetsTo: params.moveAssetsTo ?? null },
        },
        [{ event: 'grants.changed', data: { collectionId: params.id } }],
      );
      return { id: params.id, movedAssets: held };
    });
  }
}

function notFound(id: string): StockroomError {
  return new StockroomError('NOT_FOUND', 'This collection does not exist (any more). Reload the list of collections.', { collectionId: id });
}
