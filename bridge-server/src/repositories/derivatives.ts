import type { DerivativeStatus, Prisma } from '@stockroom/prisma';
import type { Sql, Tx } from './db.ts';
import { assetInclude, type AssetRow } from './rows.ts';

export const jobInclude = {
  blob: { select: { sha256: true } },
  version: { select: { number: true, assetId: true, asset: { select: { name: true, collectionId: true, deletedAt: true } } } },
} satisfies Prisma.DerivativeInclude;
export type JobRow = Prisma.DerivativeGetPayload<{ include: typeof jobInclude }>;

/** A derivative a worker took, with the version facts it needs. */
export interface ClaimedRow {
  id: string;
  preset: string;
  assetId: string;
  number: number;
  blobSha256: string;
  originalName: string;
  mimeType: string;
  video: unknown;
  audio: unknown;
  image: unknown;
}

/** What serving one derivative's file needs: its state and bytes, and where its asset lives. */
export interface DerivativeContentSource {
  status: DerivativeStatus;
  blobSha256: string | null;
  size: number | null;
  mimeType: string | null;
  failure: string | null;
  originalName: string;
  collectionId: string | null;
  deletedAt: Date | null;
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

/** The columns of a made file, as finishReady writes them. */
export interface ReadyRow extends StoredDerivative {
  id: string;
  assetId: string;
  at: Date;
  /** The derivative.ready event's derivative, stored with the outbox row. */
  event: unknown;
}

export interface JobPageQuery {
  status?: DerivativeStatus;
  assetId?: string;
  after: { updatedAt: Date; id: string } | null;
  limit: number;
}

/**
 * Rows in, rows out: derivatives and the worker's claim/record statements. The hot
 * statements (claim, ready, metadata sources) are plain SQL on the pool, named so each
 * connection prepares them once: they run for every job.
 */
export const derivativeRows = {
  async versionIdOf(tx: Tx, assetId: string, number: number): Promise<string | null> {
    return (await tx.version.findUnique({ where: { assetId_number: { assetId, number } }, select: { id: true } }))?.id ?? null;
  },

  /** Creates the missing rows of these presets; returns the ids of the version's pending ones among them. */
  async ensure(tx: Tx, versionId: string, presets: string[]): Promise<string[]> {
    await tx.derivative.createMany({ data: presets.map((preset) => ({ versionId, preset })), skipDuplicates: true });
    const pending = await tx.derivative.findMany({ where: { versionId, preset: { in: presets }, status: 'pending' }, select: { id: true } });
    return pending.map((d) => d.id);
  },

  /** Marks processing every pending (or abandoned processing) derivative of a version, or the one named. */
  async claim(sql: Sql, target: { versionId: string } | { derivativeId: string }, options: { pendingOnly?: boolean } = {}): Promise<ClaimedRow[]> {
    const byVersion = 'versionId' in target;
    const statuses = options.pendingOnly ? `'pending'` : `'pending', 'processing'`;
    // Unnamed statements only: a named one is prepared on one server connection, and behind
    // PgBouncer in transaction mode its next use may run on another (docs/operations.md).
    const { rows } = await sql.query<ClaimedRow>({
      text: `UPDATE derivatives d
       SET status = 'processing', attempts = d.attempts + 1, progress = 0, "startedAt" = now(), "finishedAt" = NULL, "updatedAt" = now()
       FROM versions v
       WHERE ${byVersion ? 'd."versionId"' : 'd.id'} = $1::uuid AND v.id = d."versionId" AND d.status IN (${statuses})
       RETURNING d.id, d.preset, v."assetId", v.number, v."blobSha256", v."originalName", v."mimeType",
                 v.metadata -> 'video' AS video, v.metadata -> 'audio' AS audio, v.metadata -> 'image' AS image`,
      values: [byVersion ? target.versionId : target.derivativeId],
    });
    return rows;
  },

  async setProgress(tx: Tx, id: string, percent: number): Promise<JobRow> {
    return tx.derivative.update({ where: { id }, data: { progress: percent }, include: jobInclude });
  },

  /**
   * The blob row, the ready derivative and its derivative.ready outbox row in one statement
   * (a data-modifying CTE: the foreign key is checked at the end of the statement, when the
   * blob row exists). The collection is read as the statement runs. False: no such derivative.
   */
  async markReady(sql: Sql, row: ReadyRow): Promise<boolean> {
    // Unnamed, as claim's: behind PgBouncer in transaction mode a named statement may be missing on the next connection.
    const { rowCount } = await sql.query({
      text: `WITH blob AS (
         INSERT INTO blobs (sha256, size, "storageKey") VALUES ($2, $3, $4) ON CONFLICT (sha256) DO NOTHING
       ), ready AS (
         UPDATE derivatives d
         SET status = 'ready', "blobSha256" = $2, size = $3, "mimeType" = $5, width = $6, height = $7, "durationSeconds" = $8,
             data = $9::jsonb, progress = 100, "failureReason" = NULL, failure = NULL, "finishedAt" = $10, "updatedAt" = $10
         FROM versions v JOIN assets a ON a.id = v."assetId"
         WHERE d.id = $1::uuid AND v.id = d."versionId"
         RETURNING a."collectionId"
       )
       INSERT INTO outbox_events (event, data)
       SELECT 'derivative.ready', jsonb_build_object('assetId', $11::text, 'collectionId', ready."collectionId", 'derivative', $12::jsonb) FROM ready`,
      values: [
        row.id,
        row.sha256,
        row.size,
        row.storageKey,
        row.mimeType,
        row.width,
        row.height,
        row.durationSeconds,
        JSON.stringify(row.data),
        row.at,
        row.assetId,
        JSON.stringify(row.event),
      ],
    });
    return rowCount !== 0;
  },

  async setOutcome(
    tx: Tx,
    id: string,
    outcome: { status: 'failed' | 'pending'; failureReason: string; failure: string; finishedAt: Date | null },
  ): Promise<JobRow> {
    return tx.derivative.update({ where: { id }, data: outcome, include: jobInclude });
  },

  /** Writes each version's metadata in one statement; returns the versions found. */
  async writeMetadata(tx: Tx, records: Array<{ id: string; metadata: Record<string, unknown> }>) {
    return tx.$queryRaw<{ assetId: string; number: number; versionId: string }[]>`
      UPDATE versions v SET metadata = r.metadata
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(id uuid, metadata jsonb)
      WHERE v.id = r.id
      RETURNING v."assetId", v.number, v.id AS "versionId"`;
  },

  async assets(tx: Tx, ids: string[]): Promise<AssetRow[]> {
    return tx.asset.findMany({ where: { id: { in: ids } }, include: assetInclude });
  },

  async setTags(tx: Tx, assetId: string, tags: string[]): Promise<AssetRow> {
    return tx.asset.update({ where: { id: assetId }, data: { tags }, include: assetInclude });
  },

  async versionSources(sql: Sql, versionIds: readonly string[]) {
    const { rows } = await sql.query<{ id: string; blobSha256: string; originalName: string; mimeType: string }>(
      'SELECT id, "blobSha256", "originalName", "mimeType" FROM versions WHERE id = ANY($1::uuid[])',
      [versionIds],
    );
    return rows;
  },

  async assetHead(tx: Tx, assetId: string) {
    return tx.asset.findUnique({ where: { id: assetId }, select: { collectionId: true, deletedAt: true, headVersion: true } });
  },

  async ofVersion(tx: Tx, assetId: string, number: number): Promise<JobRow[]> {
    return tx.derivative.findMany({ where: { version: { assetId, number } }, include: jobInclude, orderBy: { preset: 'asc' } });
  },

  /** Newest first by (updatedAt, id); one more than `limit` tells whether a next page exists. */
  async jobPage(tx: Tx, query: JobPageQuery): Promise<JobRow[]> {
    const { after } = query;
    return tx.derivative.findMany({
      where: {
        ...(query.status ? { status: query.status } : {}),
        ...(query.assetId ? { version: { assetId: query.assetId } } : {}),
        ...(after ? { OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }] } : {}),
      },
      include: jobInclude,
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
  },

  async exists(tx: Tx, id: string): Promise<boolean> {
    return (await tx.derivative.findUnique({ where: { id }, select: { id: true } })) !== null;
  },

  async reset(tx: Tx, id: string): Promise<JobRow> {
    return tx.derivative.update({
      where: { id },
      data: { status: 'pending', progress: 0, attempts: 0, failureReason: null, failure: null, startedAt: null, finishedAt: null },
      include: jobInclude,
    });
  },

  /** Live versions after `after` by id, `limit` of them. */
  async liveVersions(tx: Tx, options: { assetId?: string; after?: string; limit: number }) {
    return tx.version.findMany({
      where: { ...(options.assetId ? { assetId: options.assetId } : {}), asset: { deletedAt: null }, ...(options.after ? { id: { gt: options.after } } : {}) },
      select: { id: true, originalName: true, mimeType: true },
      orderBy: { id: 'asc' },
      take: options.limit,
    });
  },

  /** Sets back to pending the derivatives of these versions that are in one of `statuses`. */
  async resetMany(tx: Tx, versionIds: string[], statuses: DerivativeStatus[]): Promise<void> {
    await tx.derivative.updateMany({
      where: { versionId: { in: versionIds }, status: { in: statuses } },
      data: { status: 'pending', progress: 0, attempts: 0, failureReason: null, failure: null },
    });
  },

  /** Plain SQL: every thumbnail a grid shows reads this (see `Sql` in db.ts for why). */
  async contentSource(tx: Tx, assetId: string, number: number, preset: string): Promise<DerivativeContentSource | null> {
    const rows = await tx.$queryRaw<Array<Omit<DerivativeContentSource, 'size'> & { size: bigint | null }>>`
      SELECT d.status::text AS status, d."blobSha256", d.size, d."mimeType", d.failure,
             v."originalName", a."collectionId"::text AS "collectionId", a."deletedAt"
        FROM derivatives d JOIN versions v ON v.id = d."versionId" JOIN assets a ON a.id = v."assetId"
       WHERE v."assetId" = ${assetId}::uuid AND v.number = ${number} AND d.preset = ${preset}`;
    const row = rows[0];
    return row ? { ...row, size: row.size === null ? null : Number(row.size) } : null;
  },
};
