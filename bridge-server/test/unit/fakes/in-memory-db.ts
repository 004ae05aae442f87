import type { Db, Tx } from '../../../src/repositories/db.ts';

/** Something whose state a transaction rolls back: `snapshot` returns the function that restores it. */
export interface Transactional {
  snapshot(): () => void;
}

/**
 * The services take the Prisma client only to begin transactions; repositories do every
 * read and write. In the unit tier the repositories are in memory: a transaction runs the
 * work and, when it throws, puts every store back as it was (as Postgres rolls back). The
 * transaction handle is a token the in-memory repositories ignore.
 */
export const NO_TX = Object.freeze({}) as Tx;

export function inMemoryDb(...stores: Transactional[]): Db {
  const db = {
    async $transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      const restores = stores.map((store) => store.snapshot());
      try {
        return await work(NO_TX);
      } catch (error) {
        for (const restore of restores) restore();
        throw error;
      }
    },
  };
  // Only $transaction is ever called on the client by services (the architecture test keeps it so).
  return db as unknown as Db;
}
