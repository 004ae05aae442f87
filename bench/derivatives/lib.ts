import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, startStockroom, createLogger, type Stockroom } from '@stockroom/bridge-server';
import { REPO } from '../core/lib.ts';

export const BENCH_TMP = path.join(REPO, '.tmp', 'bench-derivatives');

/** Polls until every derivative of these assets is ready (or failed); returns the ms it took from `since`. */
export async function untilSettled(stockroom: Stockroom, since: number): Promise<{ ms: number; failed: number; ready: number }> {
  const db = stockroom.database.prisma;
  for (;;) {
    const open = await db.derivative.count({ where: { status: { in: ['pending', 'processing'] } } });
    if (open === 0) {
      const ms = performance.now() - since;
      const failed = await db.derivative.count({ where: { status: 'failed' } });
      const ready = await db.derivative.count({ where: { status: 'ready' } });
      return { ms, failed, ready };
    }
    // Both benches time the jobs by their own rows (startedAt/finishedAt), so this loop
    // needs no precision; a tight poll would take CPU from the worker it measures.
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * A fresh Stockroom on the embedded PostgreSQL in its own data folder, started in `role`.
 * Both roles share the data folder, so a `tool` can queue work that a later `worker` runs.
 */
export async function startBenchStockroom(dataDir: string, role: 'tool' | 'worker', env: Record<string, string> = {}): Promise<Stockroom> {
  mkdirSync(dataDir, { recursive: true });
  // BENCH_LOG_LEVEL=info shows each job's phases ("derivative ready" lines) on stdout.
  const level = process.env.BENCH_LOG_LEVEL ?? 'warn';
  const config = loadConfig({ STOCKROOM_DATA_DIR: dataDir, LOG_LEVEL: level, JOB_POLL_SECONDS: '0.5', ...env });
  return startStockroom(config, { role, logger: createLogger(level) });
}

export function freshDir(name: string): string {
  const dir = path.join(BENCH_TMP, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function table(rows: string[][]): string {
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}
