import type { Prisma, PrismaClient } from '@stockroom/prisma';
import type { Pool } from 'pg';

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;
/**
 * Plain SQL over Prisma's own connection pool. Only for statements that run for every job
 * of a worker: there, Prisma's per-call work (its query compiler, its transaction
 * bookkeeping) cost several times the query itself. Everything else goes through Prisma,
 * except the few reads every request makes (its bearer token or dashboard session, the
 * person's grants, a thumbnail's file): those are `$queryRaw` templates on the same client
 * (so they also run inside a transaction), since Prisma's query compiler takes about 1 ms
 * of the main thread per call and a grid page of 50 thumbnails makes 150 of them.
 */
export type Sql = Pick<Pool, 'query' | 'connect'>;

/** Postgres error codes we turn into product errors. */
export const PG_UNIQUE_VIOLATION = '23505';

/** One round trip that fails when the database is unreachable (readiness checks). */
export async function ping(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT 1`;
}
