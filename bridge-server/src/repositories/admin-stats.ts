import type { AssetKind } from '@stockroom/shared-types';
import type { Tx } from './db.ts';

/**
 * Rows in, rows out: the dashboard's aggregates, each one GROUP BY or count in Postgres.
 * Counts come back as bigint, as Postgres gives them.
 */
export const adminStatsRows = {
  async liveAssetsByKind(tx: Tx) {
    return tx.$queryRaw<{ kind: AssetKind; count: bigint }[]>`
      SELECT kind, count(*) AS count FROM assets WHERE "deletedAt" IS NULL GROUP BY kind ORDER BY kind`;
  },

  async storedBytes(tx: Tx): Promise<bigint> {
    const [row] = await tx.$queryRaw<{ bytes: bigint | null }[]>`SELECT sum(size)::bigint AS bytes FROM blobs`;
    return row?.bytes ?? 0n;
  },

  async versionBytesByKind(tx: Tx) {
    return tx.$queryRaw<{ kind: AssetKind; bytes: bigint }[]>`
      SELECT a.kind, sum(v.size)::bigint AS bytes FROM versions v JOIN assets a ON a.id = v."assetId" GROUP BY a.kind ORDER BY a.kind`;
  },

  /** Versions per UTC day over the last `days` days, empty days as zeros, oldest first. */
  async versionsPerDay(tx: Tx, days: number) {
    // Versions are counted per day first (one pass), then joined to the calendar so empty days are zeros.
    return tx.$queryRaw<{ day: string; count: bigint }[]>`
      WITH range AS (SELECT date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${days - 1}) AS first_day),
      per_day AS (
        SELECT date_trunc('day', v."createdAt" AT TIME ZONE 'UTC') AS day, count(*) AS count
        FROM versions v, range WHERE v."createdAt" >= range.first_day AT TIME ZONE 'UTC' GROUP BY 1)
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(per_day.count, 0)::bigint AS count
      FROM range, generate_series(range.first_day, date_trunc('day', now() AT TIME ZONE 'UTC'), interval '1 day') AS d(day)
      LEFT JOIN per_day ON per_day.day = d.day
      ORDER BY d.day`;
  },

  async clientsByApp(tx: Tx, seenAfter: Date) {
    return tx.$queryRaw<{ app: string; count: bigint }[]>`
      SELECT app, count(*) AS count FROM client_sessions WHERE "lastSeenAt" > ${seenAfter}
      GROUP BY app ORDER BY app`;
  },

  async lockCount(tx: Tx, app?: string): Promise<number> {
    return tx.lock.count({ where: app ? { clientApp: app } : {} });
  },

  /** Oldest first, with holder and asset. */
  async lockPage(tx: Tx, options: { app?: string; offset: number; limit: number }) {
    return tx.lock.findMany({
      where: options.app ? { clientApp: options.app } : {},
      orderBy: [{ createdAt: 'asc' }, { assetId: 'asc' }],
      skip: options.offset,
      take: options.limit,
      include: { holder: true, asset: { select: { id: true, name: true, kind: true, collectionId: true } } },
    });
  },

  /** Derivative jobs per unfinished or failed state; null when the derivatives table does not exist. */
  async jobsByStatus(tx: Tx): Promise<Array<{ status: string; count: bigint }> | null> {
    const [probe] = await tx.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('derivatives') IS NOT NULL AS exists`;
    if (!probe?.exists) return null;
    return tx.$queryRawUnsafe<{ status: string; count: bigint }[]>(
      `SELECT status::text AS status, count(*) AS count FROM derivatives WHERE status IN ('pending', 'processing', 'failed') GROUP BY status`,
    );
  },

  async searchCursors(tx: Tx, limit: number) {
    return tx.searchIndexCursor.findMany({ orderBy: { backend: 'asc' }, take: limit });
  },

  /** Outbox events after `outboxId`, counted up to `cap`. */
  async eventsAfter(tx: Tx, outboxId: bigint, cap: number): Promise<number> {
    const [row] = await tx.$queryRaw<{ lag: bigint }[]>`
      SELECT count(*) AS lag FROM (SELECT 1 FROM outbox_events WHERE id > ${outboxId} LIMIT ${cap}) pending`;
    return Number(row?.lag ?? 0n);
  },
};
