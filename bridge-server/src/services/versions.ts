import type { Asset, CheckInAuditData, CheckInOverride, MethodParsedParams, Version } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { notFound } from './assets.ts';
import type { AuditEntry, ChangeRecorder, OutgoingEvent } from './change-recorder.ts';
import type { AssetForVersion, AssetsRepository, LockFacts } from '../repositories/assets.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { lockedError, unlockChange } from './locks.ts';
import { toAsset, toVersion } from './mappers.ts';
import type { UploadConsumer } from './uploads-port.ts';

interface NewVersionBytes {
  blobSha256: string;
  size: number;
  mimeType: string;
  originalName: string;
  restoredFrom?: number;
}

/** What the new version is made against: the locked asset row, and for the audit row the rest. */
interface WriteBasis {
  asset: AssetForVersion;
  lock: LockFacts | null;
  baseVersion: number;
  underLock: boolean;
  override?: CheckInOverride;
}

export interface VersionContent {
  sha256: string;
  size: number;
  fileName: string;
  mimeType: string;
}

/**
 * Versions are immutable and numbered 1..n without gaps: a new version is
 * written while the asset row is locked FOR UPDATE, as head + 1, and the
 * (asset, number) unique key backs that up.
 *
 * A check-in is a handful of statements in one transaction (listed in docs/benchmarks.md,
 * counted by test/core/checkin-round-trips.test.ts): each one is a round trip the caller waits for.
 */
export class VersionsService {
  constructor(
    private readonly db: Db,
    private readonly repo: AssetsRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly uploads: UploadConsumer,
  ) {}

  async checkin(actor: Actor, params: MethodParsedParams<'assets.checkin'>): Promise<{ asset: Asset; version: Version }> {
    return this.db.$transaction(async (tx) => {
      const basis = await this.assertMayWrite(tx, actor, params.id, params.baseVersion, params.override);
      const upload = await this.uploads.consume(tx, params.uploadId, actor);
      return this.addVersion(tx, actor, params.id, params.comment ?? '', basis, !params.keepLocked, {
        blobSha256: upload.blobSha256,
        size: upload.size,
        mimeType: upload.mimeType,
        originalName: upload.fileName,
      });
    });
  }

  async restore(actor: Actor, params: MethodParsedParams<'versions.restore'>): Promise<{ asset: Asset; version: Version }> {
    return this.db.$transaction(async (tx) => {
      const basis = await this.assertMayWrite(tx, actor, params.assetId, params.baseVersion);
      const old = await this.repo.version(tx, params.assetId, params.number);
      if (!old) {
        throw new StockroomError('NOT_FOUND', `Version ${params.number} does not exist. List the versions to pick one.`, {
          assetId: params.assetId,
          number: params.number,
        });
      }
      return this.addVersion(tx, actor, params.assetId, params.comment ?? `Restored version ${params.number}`, basis, !params.keepLocked, {
        blobSha256: old.blobSha256,
        size: Number(old.size),
        mimeType: old.mimeType,
        originalName: old.originalName,
        restoredFrom: old.number,
      });
    });
  }

  async list(actor: Actor, assetId: string): Promise<Version[]> {
    const asset = await this.repo.place(this.db, assetId);
    if (!asset || asset.deletedAt) throw notFound(assetId);
    this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId, hiddenAs: notFound(assetId) });
    const rows = await this.repo.versions(this.db, assetId);
    return rows.map(toVersion);
  }

  /** What a download of one version serves. */
  async content(actor: Actor, assetId: string, number: number): Promise<VersionContent> {
    const row = await this.repo.versionWithPlace(this.db, assetId, number);
    const missing = new StockroomError('NOT_FOUND', `Version ${number} of this asset does not exist.`, { assetId, number });
    if (!row || row.asset.deletedAt) throw missing;
    this.access.assert(actor, 'asset.read', { collectionId: row.asset.collectionId, hiddenAs: missing });
    return { sha256: row.blobSha256, size: Number(row.size), fileName: row.originalName, mimeType: row.mimeType };
  }

  /**
   * The rule that keeps every update: you hold the lock, or nobody does and you
   * say which version you started from and it is still the head. Returns your lock, if
   * any, and the head the new version is made against.
   */
  private async assertMayWrite(tx: Tx, actor: Actor, assetId: string, baseVersion: number | undefined, override?: CheckInOverride): Promise<WriteBasis> {
    if (override && (baseVersion === undefined || override.startedFrom >= baseVersion)) {
      throw new StockroomError(
        'VALIDATION_FAILED',
        'An override names the head you check in on top of (baseVersion) and the older version your document started from (override.startedFrom); ' +
          'without a newer head in between there is nothing to override: check in without it.',
        { baseVersion, startedFrom: override.startedFrom },
      );
    }
    const asset = await this.repo.lockForVersion(tx, assetId);
    if (!asset || asset.deletedAt) throw notFound(assetId);
    this.access.assert(actor, 'asset.checkout', { collectionId: asset.collectionId, hiddenAs: notFound(assetId) });
    const lock = asset.lock;
    if (lock && lock.holderId !== actor.user.id) throw lockedError(lock);
    if (baseVersion !== undefined && baseVersion > asset.headVersion) {
      throw new StockroomError(
        'VERSION_CONFLICT',
        `This asset has no version ${baseVersion} yet (its latest is version ${asset.headVersion}): your document did not come from it. ` +
          'Open the latest version of this asset and check in from there.',
        { headVersion: asset.headVersion, baseVersion },
      );
    }
    if (baseVersion !== undefined && baseVersion !== asset.headVersion) {
      throw new StockroomError(
        'VERSION_CONFLICT',
        `Somebody checked in version ${asset.headVersion} after your version ${baseVersion}. ` +
          'Download the latest version, apply your changes to it, and check in again.',
        { headVersion: asset.headVersion, baseVersion },
      );
    }
    if (!lock && baseVersion === undefined) {
      throw new StockroomError(
        'VERSION_CONFLICT',
        'Check the asset out first, or say which version your changes start from (baseVersion), so no update is lost.',
        { headVersion: asset.headVersion },
      );
    }
    return { asset, lock, baseVersion: asset.headVersion, underLock: baseVersion === undefined, ...(override ? { override } : {}) };
  }

  /**
   * Writes version head + 1; `release`: give up the caller's lock (if it holds one) with it.
   * The asset as it is now is made from the locked row and what was written, not read back;
   * the audit rows and the events go in one statement.
   */
  private async addVersion(tx: Tx, actor: Actor, assetId: string, comment: string, basis: WriteBasis, release: boolean, bytes: NewVersionBytes) {
    const released = release ? basis.lock : null;
    const written = await this.repo.appendVersion(
      tx,
      assetId,
      {
        blobSha256: bytes.blobSha256,
        size: bytes.size,
        mimeType: bytes.mimeType,
        originalName: bytes.originalName,
        comment,
        authorId: actor.user.id,
        clientApp: actor.clientApp,
        restoredFrom: bytes.restoredFrom ?? null,
      },
      { releaseLock: released !== null },
    );
    // The author is the caller: no need to read the user back.
    const head = { ...written.version, author: actor.user };
    const version = toVersion(head);
    const { collectionId } = basis.asset;
    const asset = toAsset({
      ...basis.asset,
      headVersion: version.number,
      updatedAt: written.assetUpdatedAt,
      lock: released ? null : basis.lock,
      versions: [head],
    });
    const checkIn: CheckInAuditData = {
      number: version.number,
      sha256: version.sha256,
      baseVersion: basis.baseVersion,
      underLock: basis.underLock,
      ...(basis.override ? { override: basis.override } : {}),
      ...(bytes.restoredFrom ? { restoredFrom: bytes.restoredFrom } : {}),
    };
    const audits: AuditEntry[] = [
      { action: bytes.restoredFrom ? 'version.restore' : 'asset.checkin', targetType: 'asset', targetId: assetId, data: { ...checkIn } },
    ];
    const events: OutgoingEvent[] = [{ event: 'version.created', data: { assetId, collectionId, version } }];
    if (released) {
      const unlocked = unlockChange(actor, released, collectionId, false);
      audits.push(unlocked.audit);
      events.push(unlocked.event);
    }
    events.push({ event: 'asset.updated', data: { asset } });
    await this.changes.record(tx, actor, audits, events);
    return { asset, version };
  }
}
