import type { Sql } from './db.ts';

/**
 * Claims one period of a cluster-wide task: true for exactly one caller per
 * `periodMs`, whichever process asks, because the row update is atomic.
 */
export async function claimHousekeepingRun(sql: Sql, task: string, periodMs: number): Promise<boolean> {
  const { rows } = await sql.query(
    `INSERT INTO housekeeping_runs AS h (task, "lastRunAt") VALUES ($1, now())
     ON CONFLICT (task) DO UPDATE SET "lastRunAt" = now()
      WHERE h."lastRunAt" <= now() - make_interval(secs => $2::double precision / 1000)
     RETURNING task`,
    [task, periodMs],
  );
  return rows.length === 1;
}
