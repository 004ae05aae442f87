import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/client.ts';

export interface DatabaseClients {
  prisma: PrismaClient;
  /**
   * The node-postgres pool under Prisma, for the few statements on hot paths (a worker's
   * per-job bookkeeping) where Prisma's per-call work costs more than the query itself.
   */
  pool: pg.Pool;
  /** Disconnects Prisma and ends the pool. */
  close(): Promise<void>;
}

/** A Prisma client over node-postgres (no native query engine), and the pool it runs on. */
export function createDatabaseClients(connectionString: string, options: { max?: number } = {}): DatabaseClients {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle connection the database closes (a restart, a dropped database) is replaced on the
  // next query; node-postgres emits it as an 'error' that ends the process when nobody listens.
  // Callers with a logger add their own listener.
  pool.on('error', (error) => process.emitWarning(`an idle database connection closed: ${error.message}`));
  const prisma = prismaOver(new PrismaPg(pool));
  return {
    prisma,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** A Prisma client alone (its pool is ended by `$disconnect`). */
export function createPrismaClient(connectionString: string, options: { max?: number } = {}): PrismaClient {
  return prismaOver(new PrismaPg({ connectionString, max: options.max ?? 10 }));
}

function prismaOver(adapter: PrismaPg): PrismaClient {
  // Check-ins of one asset queue on its row lock; under load a transaction may wait
  // longer than Prisma's defaults (2 s for a connection, 5 s in all) without anything wrong.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 60_000 } });
}
