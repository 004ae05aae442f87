import type { Derivative, EventData, Job, MethodParsedParams } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import type { Prisma } from '@stockroom/prisma';
import type { JobQueue } from '../adapters/queue/types.ts';
import { mediaFamilyOf, type MediaFamily } from '../media/families.ts';
import { presetsFor, type PresetSpec, type Presets } from '../media/presets.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db, Tx } from './db.ts';
import { assetInclude, toAsset } from './mappers.ts';
import { storedTimedMediaFacts, type TimedMediaFacts } from '../media/timed-media-facts.ts';

export const DERIVATIVE_QUEUE = 'media-derivative';
export const METADATA_QUEUE = 'media-metadata';

export interface DerivativeJobData {
  derivativeId: string;
}
export interface MetadataJobData {
  versionId: string;
}

/** What a worker needs to make one derivative. */
export interface DerivativeWork {
  id: string;
  preset: string;
  spec: PresetSpec;
  family: MediaFamily;
  sourceSha256: string;
  originalName: string;
  /** The metadata job's probe of these bytes, when it has run (videos only). */
  probed: TimedMediaFacts | null;
}

/** A finished file, already in the blob store. */
export interface StoredDerivative {
  sha256: string;
  size: number;
  storageKey: string;
  mimeType: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  data: Record<string, unknown>;
}

const jobInclude = {
  blob: { select: { sha256: true } },
  version: { select: { number: true, assetId: true, asset: { select: { name: true, collectionId: true, deletedAt: true } } } },
} satisfies Prisma.DerivativeInclude;
type JobRow = Prisma.DerivativeGetPayload<{ include: typeof jobInclude }>;
interface ReadyRow {
  id: string;
  preset: string;
  blobSha256: string;
  mimeType: string;
  size: bigint | number;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  data: Record<string, unknown>;
  updatedAt: Date | string;
  assetId: string;
  number: number;
  collectionId: string | null;
}

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
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toJob(row: JobRow): Job {
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
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly queue: JobQueue,
    private readonly presets: Presets,
  ) {}

  /** Listener for the ChangeRecorder: every new version plans its derivatives and metadata job in its own transaction. */
  readonly onChange = async (tx: Tx, outgoing: { event: string; data: unknown }): Promise<void> => {
    if (outgoing.event !== 'version.created') return;
    const { assetId, version } = outgoing.data as EventData<'version.created'>;
    const row = await tx.version.findUnique({ where: { assetId_number: { assetId, number: version.number } }, select: { id: true } });
    if (row) await this.plan(tx, row.id, version.originalName, version.mimeType);
  };

  /** Creates the missing derivative rows of a version and enqueues their jobs (and metadata extraction). */
  private async plan(tx: Tx, versionId: string, originalName: string, mimeType: string, options: { metadata?: boolean } = {}): Promise<number> {
    const family = mediaFamilyOf(originalName, mimeType);
    if (family === 'unsupported') return 0;
    const names = presetsFor(family, this.presets).map(([name]) => name);
    await tx.derivative.createMany({ data: names.map((preset) => ({ versionId, preset })), skipDuplicates: true });
    const pending = await tx.derivative.findMany({ where: { versionId, preset: { in: names }, status: 'pending' }, select: { id: true } });
    await this.queue.enqueueInTransaction(
      tx,
      DERIVATIVE_QUEUE,
      pending.map((d) => ({ data: { derivativeId: d.id } satisfies DerivativeJobData, singletonKey: d.id })),
    );
    if (options.metadata !== false) {
      await this.queue.enqueueInTransaction(tx, METADATA_QUEUE, [{ data: { versionId } satisfies MetadataJobData, singletonKey: versionId }]);
    }
    return pending.length;
  }

  // ---- worker side -------------------------------------------------------------------------

  /**
   * Claims a derivative for a worker attempt. Returns null when there is nothing to do:
   * already made (a job delivered twice), its version is gone, or its preset was removed.
   */
  async claim(derivativeId: string): Promise<DerivativeWork | null> {
    // One statement (marking it processing and reading what the worker needs) instead of a
    // read and an update: it runs for every job, and small jobs take a few hundred ms.
    const [row] = await this.db.$queryRaw<{ id: string; preset: string; blobSha256: string; originalName: string; mimeType: string; video: unknown }[]>`
      UPDATE derivatives d
      SET status = 'processing', attempts = d.attempts + 1, progress = 0, "startedAt" = now(), "finishedAt" = NULL, "updatedAt" = now()
      FROM versions v
      WHERE d.id = ${derivativeId}::uuid AND v.id = d."versionId" AND d.status <> 'ready'
      RETURNING d.id, d.preset, v."blobSha256", v."originalName", v."mimeType", v.metadata -> 'video' AS video`;
    if (!row) return null;
    const family = mediaFamilyOf(row.originalName, row.mimeType);
    const spec = presetsFor(family, this.presets).find(([name]) => name === row.preset)?.[1];
    if (!spec) {
      await this.finishFailed(derivativeId, 'unsupported-format', `The preset "${row.preset}" is no longer configured for this kind of file.`);
      return null;
    }
    const probed = family === 'video' ? storedTimedMediaFacts(row.video) : null;
    return { id: row.id, preset: row.preset, spec, family, sourceSha256: row.blobSha256, originalName: row.originalName, probed };
  }

  async progress(derivativeId: string, percent: number): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const row = await tx.derivative.update({ where: { id: derivativeId }, data: { progress: percent }, include: jobInclude });
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

  /** Records a made file. The blob row is shared: the same bytes from two sources are stored once. */
  async finishReady(derivativeId: string, stored: StoredDerivative): Promise<Derivative> {
    // Raw SQL: the blob insert and the update that returns the row with its asset are one
    // round trip (Prisma's upsert and include take five), on every job's path.
    return this.db.$transaction(async (tx) => {
      // The blob row is written by the same statement (a data-modifying CTE): the foreign key
      // of the update is checked at the end of the statement, when the blob row exists.
      const [row] = await tx.$queryRaw<ReadyRow[]>`
        WITH blob AS (
          INSERT INTO blobs (sha256, size, "storageKey") VALUES (${stored.sha256}, ${BigInt(stored.size)}, ${stored.storageKey})
          ON CONFLICT (sha256) DO NOTHING
        )
        UPDATE derivatives d
        SET status = 'ready', "blobSha256" = ${stored.sha256}, size = ${BigInt(stored.size)}, "mimeType" = ${stored.mimeType},
            width = ${stored.width === null ? null : Math.round(stored.width)}::int, height = ${stored.height === null ? null : Math.round(stored.height)}::int,
            "durationSeconds" = ${stored.durationSeconds}::float8, data = ${JSON.stringify(stored.data)}::jsonb,
            progress = 100, "failureReason" = NULL, failure = NULL, "finishedAt" = now(), "updatedAt" = now()
        FROM versions v JOIN assets a ON a.id = v."assetId"
        WHERE d.id = ${derivativeId}::uuid AND v.id = d."versionId"
        RETURNING d.id, d.preset, d."blobSha256", d."mimeType", d.size, d.width, d.height, d."durationSeconds", d.data, d."updatedAt",
                  v."assetId", v.number, a."collectionId"`;
      if (!row) throw new StockroomError('NOT_FOUND', 'This derivative no longer exists (its version was deleted).', { derivativeId });
      const derivative: Derivative = {
        id: row.id,
        assetId: row.assetId,
        versionNumber: row.number,
        preset: row.preset,
        status: 'ready',
        sha256: row.blobSha256,
        mimeType: row.mimeType,
        size: Number(row.size),
        width: row.width,
        height: row.height,
        durationSeconds: row.durationSeconds,
        data: row.data,
        contentUrl: derivativeContentUrl(row.assetId, row.number, row.preset),
        updatedAt: new Date(row.updatedAt).toISOString(),
      };
      await this.changes.record(tx, null, null, [{ event: 'derivative.ready', data: { assetId: row.assetId, collectionId: row.collectionId, derivative } }]);
      return derivative;
    });
  }

  /**
   * Records a failed attempt. `final` (no retry left, or a file that will never work):
   * the job is failed, with its reason, and `job.failed` tells the clients. Otherwise it
   * waits for its retry.
   */
  async finishFailed(derivativeId: string, reason: string, message: string, final = true): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const row = await tx.derivative.update({
        where: { id: derivativeId },
        data: { status: final ? 'failed' : 'pending', failureReason: reason, failure: message, finishedAt: final ? new Date() : null },
        include: jobInclude,
      });
      if (final) {
        await this.changes.record(tx, null, null, [
          { event: 'job.failed', data: { assetId: row.version.assetId, collectionId: row.version.asset.collectionId, job: toJob(row) } },
        ]);
      }
    });
  }

  /** Where extracted facts go: the version's metadata; keywords of the head version become tags. */
  async recordMetadata(versionId: string, metadata: Record<string, unknown>, keywords: readonly string[]): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const version = await tx.version.update({
        where: { id: versionId },
        data: { metadata: metadata as Prisma.InputJsonObject },
        select: { number: true, assetId: true },
      });
      // Read once with everything the event needs; read again only when the tags change.
      const asset = await tx.asset.findUnique({ where: { id: version.assetId }, include: assetInclude });
      if (!asset || asset.headVersion !== version.number) return;
      const tags = mergeTags(asset.tags, keywords);
      const dto = toAsset(
        tags.length !== asset.tags.length ? await tx.asset.update({ where: { id: version.assetId }, data: { tags }, include: assetInclude }) : asset,
      );
      // asset.updated carries the new facts to the clients and to the search index.
      await this.changes.record(tx, null, null, [{ event: 'asset.updated', data: { asset: dto } }]);
    });
  }

  async metadataSource(versionId: string): Promise<{ sha256: string; family: MediaFamily; originalName: string } | null> {
    const row = await this.db.version.findUnique({ where: { id: versionId }, select: { blobSha256: true, originalName: true, mimeType: true } });
    if (!row) return null;
    return { sha256: row.blobSha256, family: mediaFamilyOf(row.originalName, row.mimeType), originalName: row.originalName };
  }

  // ---- methods -----------------------------------------------------------------------------

  async list(actor: Actor, assetId: string, number?: number): Promise<Derivative[]> {
    const asset = await this.db.asset.findUnique({ where: { id: assetId }, select: { collectionId: true, deletedAt: true, headVersion: true } });
    if (!asset || asset.deletedAt) throw new StockroomError('NOT_FOUND', 'This asset does not exist (or was deleted).', { assetId });
    this.access.assert(actor, 'asset.read', { collectionId: asset.collectionId });
    const rows = await this.db.derivative.findMany({
      where: { version: { assetId, number: number ?? asset.headVersion } },
      include: jobInclude,
      orderBy: { preset: 'asc' },
    });
    return rows.map(toDerivative);
  }

  async jobs(actor: Actor, params: MethodParsedParams<'jobs.list'>): Promise<{ jobs: Job[]; nextCursor: string | null }> {
    this.access.assert(actor, 'admin.read');
    const cursor = params.cursor ? decodeCursor(params.cursor) : null;
    const rows = await this.db.derivative.findMany({
      where: {
        ...(params.status ? { status: params.status } : {}),
        ...(params.assetId ? { version: { assetId: params.assetId } } : {}),
        ...(cursor ? { OR: [{ updatedAt: { lt: cursor.updatedAt } }, { updatedAt: cursor.updatedAt, id: { lt: cursor.id } }] } : {}),
      },
      include: jobInclude,
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      take: params.limit + 1,
    });
    const page = rows.slice(0, params.limit);
    const last = page.at(-1);
    return { jobs: page.map(toJob), nextCursor: rows.length > params.limit && last ? encodeCursor(last.updatedAt, last.id) : null };
  }

  /** Runs one job again from the start, whatever its state. */
  async retry(actor: Actor, id: string): Promise<Job> {
    this.access.assert(actor, 'admin.manage');
    return this.db.$transaction(async (tx) => {
      const exists = await tx.derivative.findUnique({ where: { id }, select: { id: true } });
      if (!exists) throw new StockroomError('NOT_FOUND', 'This job does not exist. List the jobs to pick one.', { id });
      const row = await tx.derivative.update({
        where: { id },
        data: { status: 'pending', progress: 0, attempts: 0, failureReason: null, failure: null, startedAt: null, finishedAt: null },
        include: jobInclude,
      });
      await this.queue.enqueueInTransaction(tx, DERIVATIVE_QUEUE, [{ data: { derivativeId: id } satisfies DerivativeJobData, singletonKey: id }]);
      return toJob(row);
    });
  }

  /**
   * `missing`: versions get the presets they lack, and failed derivatives are tried again.
   * `all`: every derivative is made again (after presets changed). Returns how many jobs were queued.
   */
  async regenerate(mode: 'missing' | 'all', options: { assetId?: string; batchSize?: number } = {}): Promise<number> {
    const batchSize = options.batchSize ?? 200;
    let queued = 0;
    let after: string | undefined;
    for (;;) {
      const versions = await this.db.version.findMany({
        where: { ...(options.assetId ? { assetId: options.assetId } : {}), asset: { deletedAt: null }, ...(after ? { id: { gt: after } } : {}) },
        select: { id: true, originalName: true, mimeType: true },
        orderBy: { id: 'asc' },
        take: batchSize,
      });
      if (versions.length === 0) return queued;
      after = versions.at(-1)!.id;
      await this.db.$transaction(async (tx) => {
        const ids = versions.map((v) => v.id);
        await tx.derivative.updateMany({
          where: { versionId: { in: ids }, status: mode === 'all' ? { in: ['ready', 'failed', 'pending'] } : 'failed' },
          data: { status: 'pending', progress: 0, attempts: 0, failureReason: null, failure: null },
        });
        for (const v of versions) queued += await this.plan(tx, v.id, v.originalName, v.mimeType, { metadata: mode === 'all' });
      });
    }
  }

  /** What a download of one derivative serves. */
  async content(actor: Actor, assetId: string, number: number, preset: string): Promise<{ sha256: string; size: number; fileName: string; mimeType: string }> {
    const row = await this.db.derivative.findFirst({
      where: { preset, version: { assetId, number } },
      include: { version: { select: { originalName: true, asset: { select: { collectionId: true, deletedAt: true } } } } },
    });
    if (!row || row.version.asset.deletedAt) {
      throw new StockroomError('NOT_FOUND', `Version ${number} of this asset has no "${preset}" derivative.`, { assetId, number, preset });
    }
    this.access.assert(actor, 'asset.read', { collectionId: row.version.asset.collectionId });
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

function encodeCursor(updatedAt: Date, id: string): string {
  return Buffer.from(`${updatedAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: Date; id: string } {
  const [date, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const updatedAt = new Date(date ?? '');
  if (!id || Number.isNaN(updatedAt.getTime())) throw new StockroomError('VALIDATION_FAILED', 'The cursor is not one this server gave out. Start from the first page.');
  return { updatedAt, id };
}
