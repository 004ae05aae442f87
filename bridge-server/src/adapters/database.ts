import path from 'node:path';
import { applyMigrations, createPrismaClient, startEmbeddedPostgres, type PrismaClient } from '@stockroom/prisma';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';

export interface Database {
  url: string;
  prisma: PrismaClient;
  embedded: boolean;
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or runs the embedded PostgreSQL in the data folder; then applies migrations. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let url = config.databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const started = Date.now();
    const cluster = await startEmbeddedPostgres(path.join(config.dataDir, 'postgres'), {
      log: (message) => logger.debug({ component: 'postgres' }, message),
    });
    url = cluster.url;
    stopEmbedded = cluster.stop;
    logger.info({ ms: Date.now() - started }, 'embedded PostgreSQL is running');
  }
  const applied = await applyMigrations(url, { log: (message) => logger.info({ component: 'migrate' }, message) });
  if (applied.length) logger.info({ applied }, 'database migrated');
  const prisma = createPrismaClient(url, { max: 20 });
  return {
    url,
    prisma,
    embedded: stopEmbedded !== undefined,
    async close() {
      await prisma.$disconnect();
      await stopEmbedded?.();
    },
  };
}
