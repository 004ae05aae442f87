import path from 'node:path';
import { applyMigrations, createDatabaseClients, startEmbeddedPostgres, type PrismaClient } from '@stockroom/prisma';
import type { Sql } from './db.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export interface Database {
  /** The main pool's database: DATABASE_URL, which may be a pooler in transaction mode (PgBouncer). */
  url: string;
  /**
   * The server itself (DATABASE_DIRECT_URL, else `url`), for what a transaction-mode pooler does
   * not keep: LISTEN, session advisory locks, migrations, and the job queue that LISTENs.
   */
  directUrl: string;
  prisma: PrismaClient;
  /** Plain SQL on the same pool, for hot paths (see services/db.ts). */
  sql: Sql;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or runs the embedded PostgreSQL in the data folder; then applies migrations. */
export async function openDatabase(config: Config, logger: Logger, options: { poolSize?: number } = {}): Promise<Database> {
  let url = config.databaseUrl;
  let directUrl = config.databaseDirectUrl ?? url;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const started = Date.now();
    const cluster = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'), {
      log: (message) => logger.debug({ component: 'postgres' }, message),
    });
    url = cluster.url;
    directUrl = cluster.url;
    stopEmbedded = cluster.stop;
    logger.info({ ms: Date.now() - started }, 'embedded PostgreSQL is running');
  }
  // Under a session advisory lock: on the server itself.
  const applied = await applyMigrations(directUrl!, { log: (message) => logger.info({ component: 'migrate' }, message) });
  if (applied.length) logger.info({ applied }, 'database migrated');
  const clients = createDatabaseClients(url, { max: options.poolSize ?? 20 });
  let closing = false;
  // A pooled connection that breaks while idle (a database restart) is replaced on next use;
  // without a listener it would end the process. Only the reason is logged: the error holds the client.
  clients.pool.on('error', (error: Error & { code?: string }) => {
    if (!closing) logger.warn({ reason: error.message, code: error.code }, 'an idle database connection closed');
  });
  return {
    url,
    directUrl: directUrl!,
    prisma: clients.prisma,
    sql: clients.pool,
    embedded: stopEmbedded !== undefined,
    async close() {
      closing = true;
      await clients.close();
      await stopEmbedded?.();
    },
  };
}
