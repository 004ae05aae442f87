import type { Prisma } from '@stockroom/prisma';
import type { Tx } from './db.ts';

export type UserRecord = Prisma.UserGetPayload<object>;
export type TokenRecord = Prisma.ApiTokenGetPayload<object>;
/** The statement's row: the token's columns and, prefixed with `user`, its person's. */
interface TokenAuthenticationRow {
  id: string;
  scopes: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  userId: string;
  userName: string;
  userEmail: string;
  userRole: 'admin' | 'member';
  userCreatedAt: Date;
  userDisabledAt: Date | null;
}

/** What authenticating a bearer token reads: the token's state and its person. */
export interface TokenForAuthentication {
  id: string;
  scopes: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  user: { id: string; name: string; email: string; role: 'admin' | 'member'; createdAt: Date; disabledAt: Date | null };
}

export interface NewUserRow {
  email: string;
  name: string;
  role: 'admin' | 'member';
  passwordHash?: string | null;
}

export interface NewTokenRow {
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  sessionBound?: boolean;
}

/** Rows in, rows out: accounts. No rules here (the users service decides). */
export const userRows = {
  async create(tx: Tx, row: NewUserRow): Promise<UserRecord> {
    return tx.user.create({ data: row });
  },

  async byId(tx: Tx, id: string): Promise<UserRecord | null> {
    return tx.user.findUnique({ where: { id } });
  },

  async byEmail(tx: Tx, email: string): Promise<UserRecord | null> {
    return tx.user.findUnique({ where: { email } });
  },

  /** By e-mail, up to 1000; `query` matches e-mail or name, case-insensitive. */
  async search(tx: Tx, options: { query?: string; includeDisabled?: boolean }): Promise<UserRecord[]> {
    const q = options.query;
    return tx.user.findMany({
      where: {
        ...(options.includeDisabled ? {} : { disabledAt: null }),
        ...(q ? { OR: [{ email: { contains: q, mode: 'insensitive' } }, { name: { contains: q, mode: 'insensitive' } }] } : {}),
      },
      orderBy: { email: 'asc' },
      take: 1000,
    });
  },

  async byIds(tx: Tx, ids: string[]): Promise<UserRecord[]> {
    return tx.user.findMany({ where: { id: { in: ids } } });
  },

  async update(
    tx: Tx,
    id: string,
    changes: { name?: string; role?: 'admin' | 'member'; disabledAt?: Date | null; passwordHash?: string },
  ): Promise<UserRecord> {
    return tx.user.update({ where: { id }, data: changes });
  },

  async count(tx: Tx): Promise<number> {
    return tx.user.count();
  },

  /** The oldest enabled administrator (the command-line tools act as it). */
  async firstActiveAdmin(tx: Tx): Promise<UserRecord | null> {
    return tx.user.findFirst({ where: { role: 'admin', disabledAt: null }, orderBy: { createdAt: 'asc' } });
  },
};

/** Rows in, rows out: API tokens (only their hashes). */
export const tokenRows = {
  async create(tx: Tx, row: NewTokenRow): Promise<TokenRecord> {
    return tx.apiToken.create({ data: row });
  },

  async ofUser(tx: Tx, userId: string, includeRevoked: boolean): Promise<TokenRecord[]> {
    return tx.apiToken.findMany({
      where: { userId, sessionBound: false, ...(includeRevoked ? {} : { revokedAt: null }) },
      orderBy: { createdAt: 'desc' },
      take: 1000,
    });
  },

  async byId(tx: Tx, id: string): Promise<TokenRecord | null> {
    return tx.apiToken.findUnique({ where: { id } });
  },

  /** Plain SQL: every request with a bearer token reads this (see `Sql` in db.ts for why). */
  async byHash(tx: Tx, tokenHash: string): Promise<TokenForAuthentication | null> {
    const [row] = await tx.$queryRaw<TokenAuthenticationRow[]>`
      SELECT t.id::text, t.scopes, t."expiresAt", t."lastUsedAt", t."revokedAt",
             u.id::text AS "userId", u.name AS "userName", u.email AS "userEmail", u.role::text AS "userRole",
             u."createdAt" AS "userCreatedAt", u."disabledAt" AS "userDisabledAt"
        FROM api_tokens t JOIN users u ON u.id = t."userId"
       WHERE t."tokenHash" = ${tokenHash}`;
    if (!row) return null;
    return {
      id: row.id,
      scopes: row.scopes,
      expiresAt: row.expiresAt,
      lastUsedAt: row.lastUsedAt,
      revokedAt: row.revokedAt,
      user: { id: row.userId, name: row.userName, email: row.userEmail, role: row.userRole, createdAt: row.userCreatedAt, disabledAt: row.userDisabledAt },
    };
  },

  /** Sets revokedAt on those not revoked yet; returns every named row as it is now. */
  async revoke(tx: Tx, ids: string[], at: Date): Promise<TokenRecord[]> {
    await tx.apiToken.updateMany({ where: { id: { in: ids }, revokedAt: null }, data: { revokedAt: at } });
    return tx.apiToken.findMany({ where: { id: { in: ids } } });
  },

  /** Dashboard sign-ins' WebSocket tokens that can no longer be used. */
  async deleteSpentSessionBound(tx: Tx, now: Date): Promise<number> {
    const { count } = await tx.apiToken.deleteMany({ where: { sessionBound: true, OR: [{ expiresAt: { lt: now } }, { revokedAt: { not: null } }] } });
    return count;
  },

  async touch(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
  },
};

/** Rows in, rows out: dashboard sessions as the users service ends them (the session store keeps its own). */
export const webSessionRows = {
  /** The stored data of a user's sessions, except the one with `keepSidHash`. */
  async dataOfUser(tx: Tx, userId: string, keepSidHash?: string): Promise<unknown[]> {
    const rows = await tx.webSession.findMany({ where: { userId, ...(keepSidHash ? { sidHash: { not: keepSidHash } } : {}) }, select: { data: true } });
    return rows.map((r) => r.data);
  },

  async deleteOfUser(tx: Tx, userId: string, keepSidHash?: string): Promise<void> {
    await tx.webSession.deleteMany({ where: { userId, ...(keepSidHash ? { sidHash: { not: keepSidHash } } : {}) } });
  },
};
