import type { Asset, ForcedUnlock } from '@stockroom/shared-types';
import { FORCED_UNLOCKS_LIMIT, StockroomError } from '@stockroom/shared-types';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { lockAssetRow, notFound } from './assets.ts';
import type { AuditEntry, ChangeRecorder, OutgoingEvent } from './change-recorder.ts';
import type { AssetsRepository, LockFacts } from '../repositories/assets.ts';
import { auditRows } from '../repositories/audit.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { toAsset, toLock, toUserRef } from './mappers.ts';

/**
 * Check-out locks. At most one lock per asset is guaranteed by the primary key of
 * `locks` (the asset id), so concurrent check-outs in any number of processes
 * resolve in the database: one INSERT wins, the others see the winner.
 */
export class LocksService {
  constructor(
    private readonly db: Db,
    private readonly repo: AssetsRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly audit: Pick<typeof auditRows, 'forcedUnlocksOf'> = auditRows,
  ) {}

  /**
   * The caller's locks that somebody else removed after `since`, on assets the caller can
   * still read: a panel that was offline when the live event went out shows them on return.
   */
  async forcedUnlocksOf(actor: Actor, since: Date): Promise<ForcedUnlock[]> {
    const rows = await this.audit.forcedUnlocksOf(this.db, actor.user.id, since, FORCED_UNLOCKS_LIMIT);
    return rows
      .filter((row) => this.access.can(actor, 'asset.read', { collectionId: row.collectionId }))
      .map((row) => ({
        assetId: row.assetId,
        assetName: row.assetName,
        by: { id: row.byId, name: row.byName, email: row.byEmail },
        at: row.at.toISOString(),
        reason: row.reason?.trim() ? row.reason.trim() : null,
      }));
  }

  async checkout(actor: Actor, assetId: string): Promise<Asset> {
    return this.db.$transaction(async (tx) => {
      const asset = await this.repo.place(tx, assetId);
      if (!asset || asset.deletedAt) throw notFound(assetId);
      this.access.assert(actor, 'asset.checkout', { collectionId: asset.collectionId, hiddenAs: notFound(assetId) });
      const inserted = await this.repo.insertLock(tx, { assetId, holderId: actor.user.id, clientApp: actor.clientApp });
      const lock = await this.repo.lock(tx, assetId);
      if (!lock) throw new Error(`the lock of asset ${assetId} vanished inside its own transaction`);
      if (!inserted) {
        if (lock.holderId === actor.user.id) return this.load(tx, assetId); // already yours: checking out again is a no-op
        throw lockedError(lock);
      }
      await this.changes.record(tx, actor, { action: 'asset.checkout', targetType: 'asset', targetId: assetId }, [
        { event: 'asset.locked', data: { assetId, collectionId: asset.collectionId, lock: toLock(lock) } },
      ]);
      return this.load(tx, assetId);
    });
  }

  async release(actor: Actor, assetId: string): Promise<Asset> {
    return this.db.$transaction(async (tx) => {
      const asset = await lockAssetRow(this.repo, tx, assetId);
      this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId, hiddenAs: notFound(assetId) });
      const lock = await this.repo.lock(tx, assetId);
      if (!lock) return this.load(tx, assetId); // nothing to release: idempotent
      if (lock.holderId !== actor.user.id) throw lockedError(lock);
      await this.removeLock(tx, actor, lock, asset.collectionId, false);
      return this.load(tx, assetId);
    });
  }

  async forceUnlock(actor: Actor, assetId: string, reason?: string): Promise<Asset> {
    return this.db.$transaction(async (tx) => {
      const asset = await lockAssetRow(this.repo, tx, assetId);
      this.access.assert(actor, 'asset.forceUnlock', { collectionId: asset.collectionId, hiddenAs: notFound(assetId) });
      const lock = await this.repo.lock(tx, assetId);
      if (lock) await this.removeLock(tx, actor, lock, asset.collectionId, true, reason);
      return this.load(tx, assetId);
    });
  }

  /** Deletes a lock and records who removed it; used by release and force-unlock. */
  private async removeLock(tx: Tx, actor: Actor, lock: LockFacts, collectionId: string | null, forced: boolean, reason?: string) {
    await this.repo.deleteLock(tx, lock.assetId);
    const change = unlockChange(actor, lock, collectionId, forced, reason);
    await this.changes.record(tx, actor, change.audit, [change.event]);
  }

  private async load(tx: Tx, assetId: string): Promise<Asset> {
    const row = await this.repo.find(tx, assetId);
    if (!row) throw notFound(assetId);
    return toAsset(row);
  }
}

/** The audit row and the event of a lock's removal (a check-in that releases the lock records them with its own). */
export function unlockChange(
  actor: Actor,
  lock: LockFacts,
  collectionId: string | null,
  forced: boolean,
  reason?: string,
): { audit: AuditEntry; event: OutgoingEvent } {
  return {
    audit: {
      action: forced ? 'asset.forceUnlock' : 'asset.release',
      targetType: 'asset',
      targetId: lock.assetId,
      data: { previousHolder: lock.holderId, ...(reason ? { reason } : {}) },
    },
    event: {
      event: 'asset.unlocked',
      data: {
        assetId: lock.assetId,
        collectionId,
        previousHolder: toUserRef(lock.holder),
        by: toUserRef(actor.user),
        forced,
        ...(reason ? { reason } : {}),
        at: new Date().toISOString(),
      },
    },
  };
}

export function lockedError(lock: LockFacts): StockroomError {
  return new StockroomError(
    'ASSET_LOCKED',
    `${lock.holder.name} (${lock.holder.email}) has this asset checked out in ${lock.clientApp} since ${lock.createdAt.toISOString()}. ` +
      'Wait until it is checked in, or ask them to release it.',
    { holder: toUserRef(lock.holder), clientApp: lock.clientApp, since: lock.createdAt.toISOString() },
  );
}
