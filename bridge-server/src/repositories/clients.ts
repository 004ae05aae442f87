import type { Prisma } from '@stockroom/prisma';
import type { Tx } from './db.ts';

export type ClientSessionRow = Prisma.ClientSessionGetPayload<object>;
export type NewClientSessionRow = Omit<ClientSessionRow, 'lastSeenAt'>;

/** Rows in, rows out: the connected clients of every api process. */
export const clientRows = {
  async touchProcess(tx: Tx, processId: string, at: Date): Promise<void> {
    await tx.clientSession.updateMany({ where: { processId }, data: { lastSeenAt: at } });
  },

  async seenBefore(tx: Tx, before: Date, limit: number): Promise<ClientSessionRow[]> {
    return tx.clientSession.findMany({ where: { lastSeenAt: { lt: before } }, take: limit });
  },

  async seenAfter(tx: Tx, after: Date, limit: number): Promise<ClientSessionRow[]> {
    return tx.clientSession.findMany({ where: { lastSeenAt: { gt: after } }, orderBy: { connectedAt: 'desc' }, take: limit });
  },

  async delete(tx: Tx, ids: string[]): Promise<void> {
    await tx.clientSession.deleteMany({ where: { id: { in: ids } } });
  },

  async deleteOfProcess(tx: Tx, processId: string): Promise<void> {
    await tx.clientSession.deleteMany({ where: { processId } });
  },

  async create(tx: Tx, row: NewClientSessionRow): Promise<void> {
    await tx.clientSession.create({ data: row });
  },
};
