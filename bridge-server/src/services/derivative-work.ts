import type { Derivative } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import { mediaFamilyOf, type MediaFamily } from '../media/families.ts';
import { presetsFor, type PresetSpec, type Presets } from '../media/presets.ts';
import { storedStillFacts, type StoredStillFacts } from '../media/stored-still-facts.ts';
import { storedTimedMediaFacts, type TimedMediaFacts } from '../media/timed-media-facts.ts';
import type { Db, Sql } from '../repositories/db.ts';
import { derivativeRows, type StoredDerivative } from '../repositories/derivatives.ts';
import type { ChangeRecorder, OutgoingEvent } from './change-recorder.ts';
import { derivativeContentUrl, toJob } from './derivative-dto.ts';
import type { DerivativeJobData } from './derivative-planning.ts';
import { toAsset } from './mappers.ts';

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

/**
 * The worker's side of derivatives: what a worker may claim, how its progress and outcome
 * are recorded, and which events tell the clients. Also where extracted metadata goes.
 */
export class DerivativeWorkRecorder {
  constructor(
    private readonly db: Db,
    private readonly sql: Sql,
    private readonly changes: ChangeRecorder,
    private readonly presets: Presets,
  ) {}

  /**
   * Claims the derivatives a job makes: every pending one of its version (or the one a retry
   * names), marked processing in one statement. `processing` ones are taken again: their
   * worker died and the queue gave the job to another. With `pendingOnly` (a job looking again
   * once it is done) only pending ones, so it never takes one another job is making. Empty when there is nothing to do
   * (already made, a job delivered twice, the version deleted).
   */
  async claim(target: DerivativeJobData, options: { pendingOnly?: boolean } = {}): Promise<DerivativeWork[]> {
    const rows = await derivativeRows.claim(this.sql, target, options);
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
      const updated = await derivativeRows.writeMetadata(
        tx,
        records.map((r) => ({ id: r.versionId, metadata: r.metadata })),
      );
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
        const dto = toAsset(tags.length !== asset.tags.length ? await derivativeRows.setTags(tx, asset.id, tags) : asset);
        events.push({ event: 'asset.updated', data: { asset: dto } });
      }
      await this.changes.record(tx, null, null, events);
    });
  }

  /** The stored originals of these versions (absent: the version was deleted). */
  async metadataSources(versionIds: readonly string[]): Promise<Map<string, { sha256: string; family: MediaFamily; originalName: string }>> {
    const rows = await derivativeRows.versionSources(this.sql, versionIds);
    return new Map(
      rows.map((row) => [row.id, { sha256: row.blobSha256, family: mediaFamilyOf(row.originalName, row.mimeType), originalName: row.originalName }]),
    );
  }
}

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
