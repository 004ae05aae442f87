import type { Derivative, EventData, Job } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { JobQueue } from '../ports/job-queue.ts';
import { mediaFamilyOf, type MediaFamily } from '../media/families.ts';
import { presetsFor, type PresetSpec, type Presets } from '../media/presets.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder, OutgoingEvent } from './change-recorder.ts';
import type { Db, Sql, Tx } from '../repositories/db.ts';
import { derivativeRows, type JobRow, type StoredDerivative } from '../repositories/derivatives.ts';
import { toAsset } from './mappers.ts';
import { storedStillFacts, type StoredStillFacts } from '../media/stored-still-facts.ts';
import { storedTimedMediaFacts, type TimedMediaFacts } from '../media/timed-media-facts.ts';

export const DERIVATIVE_QUEUE = 'media-derivative';
export const METADATA_QUEUE = 'media-metadata';

/**
 * One derivative job makes every pending derivative of a version, one after the other,
 * from one copy of the original: a queue round trip and a claim per version, not per
 * preset. `jobs.retry` queues a job for one derivative (also the shape of jobs queued by
 * earlier versions of Stockroom).
 */
export type DerivativeJobData = { versionId: string } | { derivativeId: string };
export interface MetadataJobData {
  versionId: string;
}

/** One version's extracted facts, as the metadata job records them. */
export interface ExtractedMetadata {
  versionId: string;
  metadata: Record<string, unknown>;
  /** Embedded keywords: they become tags when the version is its asset's head. */
  keywords: readonly string[];
}

/** What a worker needs to make one derivative. */
export interface DerivativeWork {
  id: string;
  assetId: string;
  versionNumber: number;
  preset: string;
  spec: PresetSpec;
  family: MediaFamily;
  sourceSha256: string;
  originalName: string;
  /** The metadata job's probe of these bytes, when it has run (videos only). */
  probed: TimedMediaFacts | null;
  /** The metadata job's facts of a still image, when it has run (images only). */
  stillFacts: StoredStillFacts | null;
}

export type { StoredDerivative } from '../repositories/derivatives.ts';

export function derivativeContentUrl(assetId: string, number: number, preset: string): string {
  return `/api/assets/${assetId}/versions/${number}/derivatives/${preset}/content`;
}

function toDerivative(row: JobRow): Derivative {
  const { assetId, number } = row.version;
  return {
    id: row.id,
    assetId,
    versionNumber: number,
    preset: row.preset,
    status: row.status,
    sha256: row.blobSha256,
    mimeType: row.mimeType,
    size: row.size === null ? null : Number(row.size),
    width: row.width,
    height: row.height,
    durationSeconds: row.durationSeconds,
    data: row.data as Record<string, unknown>,
    contentUrl: row.status === 'ready' ? derivativeContentUrl(assetId, number, row.preset) : null,
    // Whoever may read the asset may know why its thumbnail is missing.
    failureReason: row.status === 'failed' ? row.failureReason : null,
    failure: row.status === 'failed' ? row.failure : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toJob(row: JobRow): Job {
  return {
    ...toDerivative(row),
    assetName: row.version.asset.name,
    collectionId: row.version.asset.collectionId,
    progress: row.progress,
    attempts: row.attempts,
    failureReason: row.failureReason,
    failure: row.failure,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/**
 * The rules of derivatives: which presets a version gets (planned in the transaction that
 * creates the version), one row per version and preset whatever happens, what a worker may
 * claim, and which events tell the clients.
 */
export class DerivativesService {
  constructor(
    private readonly db: Db,
    private readonly sql: Sql,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly queue: JobQueue,
    private readonly presets: Presets,
  ) {}

  /** Listener for the ChangeRecorder: every new version plans its derivatives and metadata job in its own transaction. */
  readonly onChange = async (tx: Tx, outgoing: { event: string; data: unknown }): Promise<void> => {
    if (outgoing.event !== 'version.created') return;
    const { assetId, version } = outgoing.data as EventData<'version.created'>;
    const versionId = await derivativeRows.versionIdOf(tx, assetId, version.number);
    if (versionId) await this.plan(tx, versionId, version.originalName, version.mimeType);
  };

  /**
   * Creates the missing derivative rows of a version and enqueues their jobs (and metadata
   * extraction). A new version gets one job for all its derivatives. `regenerate` queues one
   * job per derivative instead: the version's own job may be running, and the queue takes no
   * second job under a running job's key, so new pending rows would wait for nobody.
   */
  private async plan(
    tx: Tx,
    versionId: string,
    originalName: string,
    mimeType: string,
    options: { metadata?: boolean; jobPerDerivative?: boolean } = {},
  ): Promise<number> {
    const family = mediaFamilyOf(originalName, mimeType);
    if (family === 'unsupported') return 0;
    const names = presetsFor(family, this.presets).map(([name]) => name);
    const pending = await derivativeRows.ensure(tx, versionId, names);
    const jobs = options.jobPerDerivative
      ? pending.map((id) => ({ data: { derivativeId: id } satisfies DerivativeJobData, singletonKey: id }))
      : pending.length > 0 ? [{ data: { versionId } satisfies DerivativeJobData, singletonKey: versionId }] : [];
    await this.queue.enqueueInTransaction(tx, DERIVATIVE_QUEUE, jobs);
    if (options.metadata !== false) {
      await this.queue.enqueueInTransaction(tx, METADATA_QUEUE, [{ data: { versionId } satisfies MetadataJobData, singletonKey: versionId }]);
    }
    return pending.length;
  }

  // ---- worker side -------------------------------------------------------------------------

  /**
   * Claims the derivatives a job makes: every pending one of its version (or the one a retry
   * names), marked processing in one statement. `processing` ones are taken again: their
   * worker died and the queue gave the job to another. Empty when there is nothing to do
   * (already made, a job delivered twice, the version deleted).
   */
  async claim(target: DerivativeJobData): Promise<DerivativeWork[]> {
    const rows = await derivativeRows.claim(this.sql, target);
    const works: DerivativeWork[] = [];
    for (const row of rows) {
      const family = mediaFamilyOf(row.originalName, row.mimeType);
      const spec = presetsFor(family, this.presets).find(([name]) => name === row.preset)?.[1];
      if (!spec) {
        await this.finishFailed(row.id, 'unsupported-format', `The preset "${row.preset}" is no longer configured for this kind of file.`);
        continue;
      }
      const probed = family === 'video' ? storedTimedMediaFacts(row.video) : family === 'audio' ? storedTimedMediaFacts(row.audio) : null;
      const stillFacts = family === 'image' ? storedStillFacts(row.image) : null;
      works.push({
        id: row.id,
        assetId: row.assetId,
        versionNumber: row.number,
        preset: row.preset,
        spec,
        family,
        sourceSha256: row.blobSha256,
        originalName: row.originalName,
        probed,
        stillFacts,
      });
    }
    return works;
  }

  async progress(derivativeId: string, percent: number): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const row = await derivativeRows.setProgress(tx, derivativeId, percent);
      await this.changes.record(tx, null, null, [
        {
          event: 'job.progress',
          data: {
            jobId: row.id,
            assetId: row.version.assetId,
            collectionId: row.version.asset.collectionId,
            versionNumber: row.version.number,
            preset: row.preset,
            percent,
          },
        },
      ]);
    });
  }

  /**
   * Records a made file and its derivative.ready event in one statement (one round trip on
   * every derivative's path, and atomic without a transaction). The blob row is shared: the
   * same bytes from two sources are stored once. The event row is written here rather than
   * through ChangeRecorder.record, whose transactional listeners have nothing to do for it.
   */
  async finishReady(work: Pick<DerivativeWork, 'id' | 'assetId' | 'versionNumber' | 'preset'>, stored: StoredDerivative): Promise<Derivative> {
    const updatedAt = new Date();
    const derivative: Derivative = {
      id: work.id,
      assetId: work.assetId,
      versionNumber: work.versionNumber,
      preset: work.preset,
      status: 'ready',
      sha256: stored.sha256,
      mimeType: stored.mimeType,
      size: stored.size,
      width: stored.width === null ? null : Math.round(stored.width),
      height: stored.height === null ? null : Math.round(stored.height),
      durationSeconds: stored.durationSeconds,
      data: stored.data,
      failureReason: null,
      failure: null,
      contentUrl: derivativeContentUrl(work.assetId, work.versionNumber, work.preset),
      updatedAt: updatedAt.toISOString(),
    };
    const found = await derivativeRows.markReady(this.sql, {
      id: work.id,
      assetId: work.assetId,
      sha256: stored.sha256,
      size: stored.size,
      storageKey: stored.storageKey,
      mimeType: stored.mimeType,
      width: derivative.width,
      height: derivative.height,
      durationSeconds: stored.durationSeconds,
      data: stored.data,
      at: updatedAt,
      event: derivative,
    });
    if (!found) throw new StockroomError('NOT_FOUND', 'This derivative no longer exists (its version was deleted).', { derivativeId: work.id });
    return derivative;
  }

  /**
   * Records a failed attempt. `final` (no retry left, or a file that will never work):
   * the job is failed, with its reason, and `job.failed` tells the clients. Otherwise it
   * waits for its retry.
   */
  async finishFailed(derivativeId: string, reason: string, message: string, final = true): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const row = await derivativeRows.setOutcome(tx, derivativeId, {
        status: final ? 'failed' : 'pending',
        failureReason: reason,
        failure: message,
        finishedAt: final ? new Date() : null,
      });
      if (final) {
        await this.changes.record(tx, null, null, [
          { event: 'job.failed', data: { assetId: row.version.assetId, collectionId: row.version.asset.collectionId, job: toJob(row) } },
        ]);
      }
    });
  }

  /**
   * Where extracted facts go: each version's metadata; keywords of a head version become
   * tags. A batch is one transaction: one update for all versions, one read of their assets,
   * and an asset.updated event per asset, which carries the new facts to the clients and to
   * the search index.
   */
  async recordMetadata(records: readonly ExtractedMetadata[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.$transaction(async (tx) => {
      const updated = await derivativeRows.writeMetadata(tx, records.map((r) => ({ id: r.versionId, metadata: r.metadata })));
      const keywordsOf = new Map(records.map((r) => [r.versionId, r.keywords]));
      const assets = await derivativeRows.assets(tx, [...new Set(updated.map((v) => v.assetId))]);
      const byId = new Map(assets.map((asset) => [asset.id, asset]));
      const events: OutgoingEvent[] = [];
      for (const version of updated) {
        const asset = byId.get(version.assetId);
        if (!asset || asset.headVersion !== version.number) continue;
        byId.delete(asset.id);
        const tags = mergeTags(asset.tags, keywordsOf.get(version.versionId) ?? []);
        // Read again only when the tags change.
        const dto = toAsset(
          tags.length !== asset.tags.length ? await derivativeRows.setTags(tx, asset.id, tags) : asset,
        );
        events.push({ event: 'asset.updated', data: { asset: dto } });
      }
      await this.changes.record(tx, null, null, events);
    });
  }

  /** The stored originals of these versions (absent: the version was deleted). */
  async metadataSources(versionIds: readonly string[]): Promise<Map<string, { sha256: string; family: MediaFamily; originalName: string }>> {
    const rows = await derivativeRows.versionSources(this.sql, versionIds);
    return new Map(rows.map((row) => [row.id, { sha256: row.blobSha256, family: mediaFamilyOf(row.originalName, row.mimeType), originalName: row.originalName }]));
  }

  // ---- methods -----------------------------------------------------------------------------

  async list(actor: Actor, assetId: string, number?: number): Promise<Derivative[]> {
    const asset = await derivativeRows.assetHead(this.db, assetId);
    const missing = new StockroomError('NOT_FOUND', 'This asset does not exist (or was deleted).', { assetId });
    if (!asset || asset.deletedAt) throw missing;
    this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId, hiddenAs: missing });
    const rows = await derivativeRows.ofVersion(this.db, assetId, number ?? asset.headVersion);
    return rows.map(toDerivative);
  }

  /**
   * `missing`: versions get the presets they lack, and failed derivatives are tried again.
   * `all`: every derivative is made again (after presets changed). Returns how many derivatives were queued (one job each).
   */
  async regenerate(mode: 'missing' | 'all', options: { assetId?: string; batchSize?: number } = {}): Promise<number> {
    const batchSize = options.batchSize ?? 200;
    let queued = 0;
    let after: string | undefined;
    for (;;) {
      const versions = await derivativeRows.liveVersions(this.db, { assetId: options.assetId, after, limit: batchSize });
      if (versions.length === 0) return queued;
      after = versions.at(-1)!.id;
      await this.db.$transaction(async (tx) => {
        const ids = versions.map((v) => v.id);
        await derivativeRows.resetMany(tx, ids, mode === 'all' ? ['ready', 'failed', 'pending'] : ['failed']);
        for (const v of versions) queued += await this.plan(tx, v.id, v.originalName, v.mimeType, { metadata: mode === 'all', jobPerDerivative: true });
      });
    }
  }

  /** What a download of one derivative serves. */
  async content(actor: Actor, assetId: string, number: number, preset: string): Promise<{ sha256: string; size: number; fileName: string; mimeType: string }> {
    const row = await derivativeRows.withSource(this.db, assetId, number, preset);
    const missing = new StockroomError('NOT_FOUND', `Version ${number} of this asset has no "${preset}" derivative.`, { assetId, number, preset });
    if (!row || row.version.asset.deletedAt) throw missing;
    this.access.assert(actor, 'asset.read', { collectionId: row.version.asset.collectionId, hiddenAs: missing });
    if (row.status !== 'ready' || !row.blobSha256 || row.size === null) {
      throw new StockroomError(
        'NOT_FOUND',
        row.status === 'failed'
          ? `The "${preset}" of this version could not be made: ${row.failure ?? 'unknown reason'}`
          : `The "${preset}" of this version is not ready yet. Wait for the derivative.ready event.`,
        { assetId, number, preset, status: row.status },
      );
    }
    const base = row.version.originalName.replace(/\.[^.]+$/, '');
    const extension = EXTENSIONS[row.mimeType ?? ''] ?? 'bin';
    return { sha256: row.blobSha256, size: Number(row.size), fileName: `${base}.${preset}.${extension}`, mimeType: row.mimeType ?? 'application/octet-stream' };
  }
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'video/mp4': 'mp4', 'audio/mp4': 'm4a', 'application/json': 'json',
};

function mergeTags(existing: readonly string[], keywords: readonly string[]): string[] {
  const seen = new Set(existing.map((t) => t.toLowerCase()));
  const merged = [...existing];
  for (const keyword of keywords) {
    // Tags are lower case, as assets.update stores them.
    const tag = keyword.trim().toLowerCase().slice(0, 100);
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      merged.push(tag);
    }
  }
  return merged.slice(0, 200);
}
