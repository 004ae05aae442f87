import type { AdminLock, AdminSettings, AdminStats, MethodParsedParams, MethodResult } from '@stockroom/shared-types';
import type { Config } from '../config.ts';
import { SERVER_VERSION } from '../version.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { adminStatsRows } from '../repositories/admin-stats.ts';
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
      adminStatsRows.liveAssetsByKind(this.db),
      adminStatsRows.storedBytes(this.db),
      adminStatsRows.versionBytesByKind(this.db),
      adminStatsRows.versionsPerDay(this.db, params.days),
      this.queue(),
      this.searchLag(),
      adminStatsRows.clientsByApp(this.db, new Date(Date.now() - CLIENT_STALE_MS)),
      adminStatsRows.lockCount(this.db),
    ]);
    return {
      assets: { total: sum(assets.map((r) => r.count)), byKind: assets.map((r) => ({ kind: r.kind, count: Number(r.count) })) },
      storage: {
        totalBytes: Number(storageTotal),
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
    const [rows, total] = await Promise.all([
      adminStatsRows.lockPage(this.db, { app: params.app, offset: params.offset, limit: params.limit }),
      adminStatsRows.lockCount(this.db, params.app),
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
        {
          name: 'MEDIA_MAX_PIXELS',
          value: c.media.limits.maxPixels.toLocaleString('en'),
          description: 'Larger pictures fail with too-many-pixels instead of exhausting memory.',
        },
        { name: 'MEDIA_MAX_DURATION_SECONDS', value: `${c.media.limits.maxDurationSeconds} s`, description: 'Longer media fail with too-long.' },
        {
          name: 'MEDIA_JOB_TIMEOUT_SECONDS',
          value: `${Math.round(c.media.limits.timeoutMs / 1000)} s`,
          description: 'One derivative job is stopped (and retried) after this long.',
        },
        {
          name: 'JOB_RETRY_LIMIT',
          value: String(c.media.queue.retryLimit),
          description: 'Retries of a failed job, with exponential backoff, before it is marked failed.',
        },
        { name: 'JOB_RETRY_DELAY_SECONDS', value: `${c.media.queue.retryDelaySeconds} s`, description: 'Wait before the first retry.' },
      ],
      storage: { backend: c.s3 ? 's3' : 'disk' },
      search: { backend: c.typesense ? 'typesense' : 'postgres' },
      presets: c.media.presets as AdminSettings['presets'],
    };
  }

  /** Derivative jobs by state (the `derivatives` table is the job list); absent on a server without derivatives. */
  private async queue(): Promise<AdminStats['queue']> {
    const rows = await adminStatsRows.jobsByStatus(this.db);
    if (!rows) return null;
    const count = (status: string) => sum(rows.filter((r) => r.status === status).map((r) => r.count));
    return { queued: count('pending'), running: count('processing'), failed: count('failed') };
  }

  private async searchLag(): Promise<AdminStats['search']> {
    const cursors = await adminStatsRows.searchCursors(this.db, 20);
    if (cursors.length === 0) return null;
    return Promise.all(
      cursors.map(async (c) => {
        const lag = await adminStatsRows.eventsAfter(this.db, c.outboxId, SEARCH_LAG_CAP);
        return { backend: c.backend, lag, lagCap: SEARCH_LAG_CAP, updatedAt: c.updatedAt.toISOString() };
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
