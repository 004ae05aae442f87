import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/client.ts';

/** A Prisma client over node-postgres (no native query engine). */
export function createPrismaClient(connectionString: string, options: { max?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: options.max ?? 10 });
  // Check-ins of one asset queue on its row lock; under load a transaction may wait
  // longer than Prisma's defaults (2 s for a connection, 5 s in all) without anything wrong.
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 15_000, timeout: 60_000 } });
}
