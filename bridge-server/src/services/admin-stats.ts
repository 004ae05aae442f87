import type { AdminLock, AdminSettings, AdminStats, AssetKind, MethodParsedParams, MethodResult } from '@stockroom/shared-types';
import type { Config } from '../config.ts';
import { SERVER_VERSION } from '../version.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { Db } from '../repositories/db.ts';

/** Same staleness rule as ClientsService: a session not seen for this long belongs to a dead process. */
const CLIENT_STALE_MS = 45_000;
/** Search lag is counted up to this many changes; beyond it "more than" is all an admin needs. */
const SEARCH_LAG_CAP = 10_000;

/**
 * Figures for the admin dashboard. Every figure is an aggregate computed by
 * Postgres (GROUP BY / count); list answers are paged with a bounded limit.
 * Tables of features that may not be installed (derivative jobs, the search
 * indexer) are probed first, so the overview works on every server.
 */
export class AdminStatsService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly config: Config,
  ) {}

  async stats(actor: Actor, params: MethodParsedParams<'admin.stats'>): Promise<AdminStats> {
    this.access.assert(actor, 'admin.read');
    const [assets, storageTotal, storageByKind, perDay, queue, search, clients, locks] = await Promise.all([
      this.db.$queryRaw<{ kind: AssetKind; count: bigint }[]>`
        SELECT kind, count(*) AS count FROM assets WHERE "deletedAt" IS NULL GROUP BY kind ORDER BY kind`,
      this.db.$queryRaw<{ bytes: bigint | null }[]>`SELECT sum(size)::bigint AS bytes FROM blobs`,
      this.db.$queryRaw<{ kind: AssetKind; bytes: bigint }[]>`
        SELECT a.kind, sum(v.size)::bigint AS bytes FROM versions v JOIN assets a ON a.id = v."assetId" GROUP BY a.kind ORDER BY a.kind`,
      // Versions are counted per day first (one pass), then joined to the calendar so empty days are zeros.
      this.db.$queryRaw<{ day: string; count: bigint }[]>`
        WITH range AS (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${params.days - 1}) AS first_day),
        per_day AS (
          SELECT date_trunc('day', v."createdAt" AT TIME ZONE 'UTC') AS day, count(*) AS count
          FROM versions v, range WHERE v."createdAt" >= range.first_day AT TIME ZONE 'UTC' GROUP BY 1)
        SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(per_day.count, 0)::bigint AS count
        FROM range, generate_series(range.first_day, date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day') AS d(day)
        LEFT JOIN per_day ON per_day.day = d.day
        ORDER BY d.day`,
      this.queue(),
      this.searchLag(),
      this.db.$queryRaw<{ app: string; count: bigint }[]>`
        SELECT app, count(*) AS count FROM client_sessions WHERE "lastSeenAt" > ${new Date(Date.now() - CLIENT_STALE_MS)}
        GROUP BY app ORDER BY app`,
      this.db.lock.count(),
    ]);
    return {
      assets: { total: sum(assets.map((r) => r.count)), byKind: assets.map((r) => ({ kind: r.kind, count: Number(r.count) })) },
      storage: {
        totalBytes: Number(storageTotal[0]?.bytes ?? 0n),
        byKind: storageByKind.map((r) => ({ kind: r.kind, bytes: Number(r.bytes) })),
      },
      versionsPerDay: perDay.map((r) => ({ day: r.day, count: Number(r.count) })),
      queue,
      search,
      clients: { total: sum(clients.map((r) => r.count)), byApp: clients.map((r) => ({ app: r.app, count: Number(r.count) })) },
      locks,
      generatedAt: new Date().toISOString(),
    };
  }

  async locks(actor: Actor, params: MethodParsedParams<'admin.locks'>): Promise<MethodResult<'admin.locks'>> {
    this.access.assert(actor, 'admin.read');
    const where = params.app ? { clientApp: params.app } : {};
    const [rows, total] = await Promise.all([
      this.db.lock.findMany({
        where,
        orderBy: [{ createdAt: 'asc' }, { assetId: 'asc' }],
        skip: params.offset,
        take: params.limit,
        include: { holder: true, asset: { select: { id: true, name: true, kind: true, collectionId: true } } },
      }),
      this.db.lock.count({ where }),
    ]);
    const now = Date.now();
    const locks: AdminLock[] = rows.map((r) => ({
      asset: r.asset,
      holder: { id: r.holder.id, name: r.holder.name, email: r.holder.email },
      clientApp: r.clientApp,
      since: r.createdAt.toISOString(),
      ageSeconds: Math.max(0, Math.floor((now - r.createdAt.getTime()) / 1000)),
    }));
    return { locks, total, offset: params.offset, limit: params.limit };
  }

  settings(actor: Actor): AdminSettings {
    this.access.assert(actor, 'admin.read');
    const c = this.config;
    return {
      serverVersion: SERVER_VERSION,
      limits: [
        { name: 'MAX_UPLOAD_SIZE', value: formatBytes(c.maxUploadBytes), description: 'Largest file one upload may carry.' },
        { name: 'UPLOAD_EXPIRY', value: `${Math.round(c.uploadExpiryMs / 3600_000)} h`, description: 'Unfinished uploads are removed after this long.' },
        { name: 'WS_MAX_FRAME', value: formatBytes(c.wsMaxFrameBytes), description: 'Largest WebSocket message the server accepts.' },
        { name: 'WORKER_CONCURRENCY', value: String(c.workerConcurrency), description: 'Derivative jobs one worker runs at the same time.' },
        { name: 'MEDIA_MAX_PIXELS', value: c.media.limits.maxPixels.toLocaleString('en'), description: 'Larger pictures fail with too-many-pixels instead of exhausting memory.' },
        { name: 'MEDIA_MAX_DURATION_SECONDS', value: `${c.media.limits.maxDurationSeconds} s`, description: 'Longer media fail with too-long.' },
        { name: 'MEDIA_JOB_TIMEOUT_SECONDS', value: `${Math.round(c.media.limits.timeoutMs / 1000)} s`, description: 'One derivative job is stopped (and retried) after this long.' },
        { name: 'JOB_RETRY_LIMIT', value: String(c.media.queue.retryLimit), description: 'Retries of a failed job, with exponential backoff, before it is marked failed.' },
        { name: 'JOB_RETRY_DELAY_SECONDS', value: `${c.media.queue.retryDelaySeconds} s`, description: 'Wait before the first retry.' },
      ],
      storage: { backend: c.s3 ? 's3' : 'disk' },
      search: { backend: c.typesense ? 'typesense' : 'postgres' },
      presets: c.media.presets as AdminSettings['presets'],
    };
  }

  /** Derivative jobs by state (the `derivatives` table is the job list); absent on a server without derivatives. */
  private async queue(): Promise<AdminStats['queue']> {
    const [probe] = await this.db.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('derivatives') IS NOT NULL AS exists`;
    if (!probe?.exists) return null;
    const rows = await this.db.$queryRawUnsafe<{ status: string; count: bigint }[]>(
      `SELECT status::text AS status, count(*) AS count FROM derivatives WHERE status IN ('pending', 'processing', 'failed') GROUP BY status`,
    );
    const count = (status: string) => sum(rows.filter((r) => r.status === status).map((r) => r.count));
    return { queued: count('pending'), running: count('processing'), failed: count('failed') };
  }

  private async searchLag(): Promise<AdminStats['search']> {
    const cursors = await this.db.searchIndexCursor.findMany({ orderBy: { backend: 'asc' }, take: 20 });
    if (cursors.length === 0) return null;
    return Promise.all(
      cursors.map(async (c) => {
        const [row] = await this.db.$queryRaw<{ lag: bigint }[]>`
          SELECT count(*) AS lag FROM (SELECT 1 FROM outbox_events WHERE id > ${c.outboxId} LIMIT ${SEARCH_LAG_CAP}) pending`;
        return { backend: c.backend, lag: Number(row?.lag ?? 0n), lagCap: SEARCH_LAG_CAP, updatedAt: c.updatedAt.toISOString() };
      }),
    );
  }
}

function sum(values: Array<bigint | number>): number {
  return values.reduce<number>((total, v) => total + Number(v), 0);
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
