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

  /** favourites.set: starring twice keeps the first star; unstarring what is not starred changes nothing. */
  async set(actor: Actor, params: MethodParsedParams<'favourites.set'>): Promise<{ assetId: string; starred: boolean }> {
    const { assetId, starred } = params;
    await this.db.$transaction(async (tx) => {
      // One change to a person's stars at a time: the limit holds, and events leave in the order the stars changed.
      await favouriteRows.lockPerson(tx, actor.user.id);
      if (!starred) {
        if (await favouriteRows.remove(tx, actor.user.id, assetId)) await this.tell(tx, actor, assetId, false);
        return;
      }
      const [asset] = await livePlaces(tx, [assetId]);
      if (!asset || !this.access.can(actor, 'asset.read', { collectionId: asset.collectionId })) {
        throw new StockroomError('NOT_FOUND', 'This asset does not exist (or was deleted), so it cannot be starred.', { assetId });
      }
      const added = await favouriteRows.add(tx, actor.user.id, [{ assetId, at: new Date() }]);
      if (added.length === 0) return;
      // Counted after the insert, under the person's lock: over the limit rolls the star back.
      if ((await favouriteRows.count(tx, actor.user.id)) > FAVOURITES_LIMIT) {
        throw new StockroomError('CONFLICT', `You have ${FAVOURITES_LIMIT} favourites, the most one person may keep. Unstar some first.`, {
          limit: FAVOURITES_LIMIT,
        });
      }
      await this.tell(tx, actor, assetId, true);
    });
    return { assetId, starred };
  }

  /** favourites.import: stars kept elsewhere join the person's own, in the order given (the first the most recent); what cannot be read is skipped. */
  async import(actor: Actor, params: MethodParsedParams<'favourites.import'>): Promise<{ assetIds: string[] }> {
    return this.db.$transaction(async (tx) => {
      await favouriteRows.lockPerson(tx, actor.user.id);
      const wanted = [...new Set(params.assetIds)];
      const places = await livePlaces(tx, wanted);
      const readable = new Set(places.filter((a) => this.access.can(actor, 'asset.read', { collectionId: a.collectionId })).map((a) => a.id));
      const room = FAVOURITES_LIMIT - (await favouriteRows.count(tx, actor.user.id));
      const now = Date.now();
      // One millisecond apart, the first given the newest: the list keeps the order it came in.
      const stars = wanted.filter((id) => readable.has(id)).map((assetId, i) => ({ assetId, at: new Date(now - i) }));
      const added = new Set(await favouriteRows.add(tx, actor.user.id, stars.slice(0, Math.max(0, room))));
      for (const star of stars) if (added.has(star.assetId)) await this.tell(tx, actor, star.assetId, true);
      return { assetIds: await this.readable(tx, actor) };
    });
  }

  private async readable(tx: Db | Tx, actor: Actor): Promise<string[]> {
    const rows = await favouriteRows.ofUser(tx, actor.user.id, FAVOURITES_LIMIT);
    return rows.filter((row) => this.access.can(actor, 'asset.read', { collectionId: row.collectionId })).map((row) => row.assetId);
  }

  private async tell(tx: Tx, actor: Actor, assetId: string, starred: boolean): Promise<void> {
    await this.changes.record(tx, actor, null, [{ event: 'favourites.changed', data: { userId: actor.user.id, assetId, starred } }]);
  }
}
