import type { Config } from '../config.ts';

type Role = 'all' | 'api' | 'worker' | 'tool';

/**
 * Postgres connections a process opens besides its main pool, by role. The sizes
 * are set where each client is made (auth/rate-limits.ts, adapters/queue/pg-boss.ts,
 * event-bus.ts, uploads/pg-locker.ts, compose-search.ts); docs/operations.md
 * turns them into the sizing rule, and the multi-process test holds a burst to it.
 */
export const FIXED_CONNECTIONS = {
  /** rate-limit counters (pool of 4) */
  rateLimits: 4,
  /** the job queue: a pool of 4 and its LISTEN connection */
  queue: 5,
  /** api: the event bus's LISTEN connection */
  events: 1,
  /** api: the upload locks' connection */
  uploadLocks: 1,
  /** worker: the search indexer's wake-up LISTEN connection */
  searchWake: 1,
} as const;

/** The main pool: DATABASE_POOL_SIZE, else what the role needs (an api process waits on the database less than a worker's jobs do). */
export function mainPoolSize(role: Role, config: Pick<Config, 'databasePoolSize' | 'workerConcurrency'>): number {
  if (config.databasePoolSize) return config.databasePoolSize;
  switch (role) {
    case 'api':
      return 10;
    case 'worker':
      return Math.max(4, config.workerConcurrency + 2);
    case 'tool':
      return 4;
    default:
      return 20;
  }
}

/**
 * The connections of `connectionBudget` that must reach Postgres itself (DATABASE_DIRECT_URL)
 * when DATABASE_URL is a pooler in transaction mode: the LISTENs, the upload locks (session
 * advisory locks) and the job queue's own pool beside its LISTEN. The rest (the main pool, the
 * rate limits) go through the pooler.
 */
export function directConnectionBudget(role: Role): number {
  const f = FIXED_CONNECTIONS;
  const serves = role === 'all' || role === 'api';
  const works = role === 'all' || role === 'worker';
  return f.queue + (serves ? f.events + f.uploadLocks : 0) + (works ? f.searchWake : 0);
}

/** Every connection one process of this role may hold at once. */
export function connectionBudget(role: Role, config: Pick<Config, 'databasePoolSize' | 'workerConcurrency'>): number {
  const f = FIXED_CONNECTIONS;
  const serves = role === 'all' || role === 'api';
  const works = role === 'all' || role === 'worker';
  return mainPoolSize(role, config) + f.rateLimits + f.queue + (serves ? f.events + f.uploadLocks : 0) + (works ? f.searchWake : 0);
}
