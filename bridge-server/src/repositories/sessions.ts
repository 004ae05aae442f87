import { createHash } from 'node:crypto';
import type { Prisma } from '@stockroom/prisma';
import pg from 'pg';
import type { Db, Tx } from './db.ts';

export type DeviceCodeRow = Prisma.DeviceCodeGetPayload<object>;

export interface NewDeviceCodeRow {
  deviceCodeHash: string;
  userCode: string;
  clientApp: string;
  machine: string;
  address: string | null;
  intervalSec: number;
  expiresAt: Date;
}

/** Rows in, rows out: device sign-in codes. */
export const deviceCodeRows = {
  async create(tx: Tx, row: NewDeviceCodeRow): Promise<void> {
    await tx.deviceCode.create({ data: row });
  },

  async byUserCode(tx: Tx, userCode: string): Promise<DeviceCodeRow | null> {
    return tx.deviceCode.findUnique({ where: { userCode } });
  },

  async byDeviceCodeHash(tx: Tx, deviceCodeHash: string): Promise<DeviceCodeRow | null> {
    return tx.deviceCode.findUnique({ where: { deviceCodeHash } });
  },

  /** Decides a pending, unexpired code; true when this call did. */
  async decide(tx: Tx, userCode: string, status: 'approved' | 'denied', userId: string, now: Date): Promise<boolean> {
    const { count } = await tx.deviceCode.updateMany({ where: { userCode, status: 'pending', expiresAt: { gt: now } }, data: { status, userId } });
    return count === 1;
  },

  async polled(tx: Tx, id: string, at: Date, intervalSec?: number): Promise<void> {
    await tx.deviceCode.update({ where: { id }, data: { lastPolledAt: at, ...(intervalSec === undefined ? {} : { intervalSec }) } });
  },

  /** Marks an approved code used; true when this call did. */
  async use(tx: Tx, id: string): Promise<boolean> {
    const { count } = await tx.deviceCode.updateMany({ where: { id, status: 'approved' }, data: { status: 'used' } });
    return count === 1;
  },

  async setToken(tx: Tx, id: string, tokenId: string): Promise<void> {
    await tx.deviceCode.update({ where: { id }, data: { tokenId } });
  },

  async deleteExpiredBefore(tx: Tx, before: Date): Promise<void> {
    await tx.deviceCode.deleteMany({ where: { expiresAt: { lt: before } } });
  },
};

/** Sessions are stored under this hash of their id: a leaked table cannot be replayed as cookies. */
export const hashSid = (sid: string) => createHash('sha256').update(sid).digest('hex');

export type WebSessionRow = Prisma.WebSessionGetPayload<object>;

/** Rows in, rows out: dashboard sessions by the hash of their id. */
export const webSessionStoreRows = {
  /** Plain SQL: every dashboard request reads this (see `Sql` in db.ts for why). */
  async get(db: Db, sidHash: string): Promise<Pick<WebSessionRow, 'data' | 'expiresAt'> | null> {
    const rows = await db.$queryRaw<Array<Pick<WebSessionRow, 'data' | 'expiresAt'>>>`
      SELECT data, "expiresAt" FROM web_sessions WHERE "sidHash" = ${sidHash}`;
    return rows[0] ?? null;
  },

  async put(db: Db, sidHash: string, row: { userId: string | null; data: object; expiresAt: Date }): Promise<void> {
    await db.webSession.upsert({ where: { sidHash }, create: { sidHash, ...row }, update: row });
  },

  async delete(db: Db, sidHash: string): Promise<void> {
    await db.webSession.deleteMany({ where: { sidHash } });
  },

  async setExpiry(db: Db, sidHash: string, expiresAt: Date): Promise<void> {
    await db.webSession.updateMany({ where: { sidHash }, data: { expiresAt } });
  },

  async deleteExpired(db: Db, now: Date): Promise<number> {
    return (await db.webSession.deleteMany({ where: { expiresAt: { lt: now } } })).count;
  },
};

/** The rate limiters' own small pool on the rate_limits table (rate-limiter-flexible runs its statements on it). */
export function openRateLimitPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => {}); // an idle client's lost connection is replaced on the next query
  return pool;
}

/** Deletes counters whose window ended. */
export async function pruneRateLimits(pool: pg.Pool, now: number): Promise<void> {
  await pool.query('DELETE FROM rate_limits WHERE expire IS NOT NULL AND expire < $1', [now]);
}
