import { FAVOURITES_LIMIT, StockroomError, type MethodParsedParams } from '@stockroom/shared-types';
import { livePlaces } from '../repositories/assets.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { favouriteRows } from '../repositories/favourites.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';

/**
 * A person's starred assets. Stars are personal: they are not audited, and the
 * `favourites.changed` event reaches only the person's own connections (other apps, other
 * computers), so every panel shows the same stars.
 */
export class FavouritesService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
  ) {}

  /** favourites.list: live assets the person can still read, most recently starred first. */
  async list(actor: Actor): Promise<{ assetIds: string[] }> {
    return { assetIds: await this.readable(this.db, actor) };
  }

  /** favourites.set */
  async set(actor: Actor, params: MethodParsedParams<'favourites.set'>): Promise<{ assetId: string; starred: boolean }> {
    const { assetId, starred } = params;
    await this.db.$transaction(async (tx) => {
      if (!starred) {
        if (await favouriteRows.remove(tx, actor.user.id, assetId)) await this.tell(tx, actor, assetId, false);
        return;
      }
      const [asset] = await livePlaces(tx, [assetId]);
      if (!asset || !this.access.can(actor, 'asset.read', { collectionId: asset.collectionId })) {
        throw new StockroomError('NOT_FOUND', 'This asset does not exist (or was deleted), so it cannot be starred.', { assetId });
      }
      await favouriteRows.lockPerson(tx, actor.user.id);
      await this.assertRoom(tx, actor, 1);
      if ((await favouriteRows.add(tx, actor.user.id, [assetId])) > 0) await this.tell(tx, actor, assetId, true);
    });
    return { assetId, starred };
  }

  /** favourites.import: stars kept elsewhere join the person's own; what cannot be read is skipped. */
  async import(actor: Actor, params: MethodParsedParams<'favourites.import'>): Promise<{ assetIds: string[] }> {
    return this.db.$transaction(async (tx) => {
      await favouriteRows.lockPerson(tx, actor.user.id);
      const wanted = [...new Set(params.assetIds)];
      const places = await livePlaces(tx, wanted);
      const readable = new Set(places.filter((a) => this.access.can(actor, 'asset.read', { collectionId: a.collectionId })).map((a) => a.id));
      const room = FAVOURITES_LIMIT - (await favouriteRows.count(tx, actor.user.id));
      // Oldest first, so that the first of the list given ends up the most recent.
      const adding = wanted
        .filter((id) => readable.has(id))
        .slice(0, Math.max(0, room))
        .reverse();
      for (const assetId of adding) {
        if ((await favouriteRows.add(tx, actor.user.id, [assetId])) > 0) await this.tell(tx, actor, assetId, true);
      }
      return { assetIds: await this.readable(tx, actor) };
    });
  }

  private async readable(tx: Db | Tx, actor: Actor): Promise<string[]> {
    const rows = await favouriteRows.ofUser(tx, actor.user.id, FAVOURITES_LIMIT);
    return rows.filter((row) => this.access.can(actor, 'asset.read', { collectionId: row.collectionId })).map((row) => row.assetId);
  }

  private async assertRoom(tx: Tx, actor: Actor, adding: number): Promise<void> {
    if ((await favouriteRows.count(tx, actor.user.id)) + adding > FAVOURITES_LIMIT) {
      throw new StockroomError('CONFLICT', `You have ${FAVOURITES_LIMIT} favourites, the most one person may keep. Unstar some first.`, {
        limit: FAVOURITES_LIMIT,
      });
    }
  }

  private async tell(tx: Tx, actor: Actor, assetId: string, starred: boolean): Promise<void> {
    await this.changes.record(tx, actor, null, [{ event: 'favourites.changed', data: { userId: actor.user.id, assetId, starred } }]);
  }
}
