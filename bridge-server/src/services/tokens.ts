import { createHash, randomBytes } from 'node:crypto';
import { StockroomError, type ApiToken, type TokenScope } from '@stockroom/shared-types';
import { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { ChangeRecorder } from './change-recorder.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { tokenRows } from '../repositories/people.ts';

export const TOKEN_PREFIX = 'sr_';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export interface AuthenticatedToken {
  tokenId: string;
  scopes: string[];
  user: { id: string; name: string; email: string; role: 'admin' | 'member'; createdAt: Date; disabledAt: Date | null };
}

type TokenRow = {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
};

export function toApiToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as TokenScope[],
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

const LAST_USED_RESOLUTION_MS = 60_000;
const SCOPE_LEVEL: Record<string, number> = { read: 1, write: 2, admin: 3, '*': 3 };
const DAY_MS = 86_400_000;

/** API tokens: only a SHA-256 of the secret is stored (the secret has 256 bits of entropy, so no slow hash is needed). */
export class TokensService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy = new AccessPolicy(db),
    private readonly changes: ChangeRecorder = new ChangeRecorder(),
  ) {}

  /** Low level: stores a new token (bootstrap, device sign-in, ws tokens). Callers record the audit row. */
  async create(
    userId: string,
    input: { name: string; scopes?: string[]; expiresAt?: Date | null; secret?: string; sessionBound?: boolean },
    tx: Db | Tx = this.db,
  ) {
    const secret = input.secret ?? newTokenSecret();
    const row = await tokenRows.create(tx, {
      userId,
      name: input.name,
      tokenHash: hashToken(secret),
      prefix: secret.slice(0, 8),
      scopes: input.scopes ?? ['*'],
      expiresAt: input.expiresAt ?? null,
      ...(input.sessionBound ? { sessionBound: true } : {}),
    });
    return { id: row.id, secret, row };
  }

  /** tokens.create: a token for the caller, never with more scopes than the caller's own token. */
  async createForActor(
    actor: Actor,
    input: { name: string; scopes?: TokenScope[]; expiresInDays?: number | null },
  ): Promise<{ token: ApiToken; secret: string }> {
    this.access.assert(actor, 'token.manage');
    const scopes = input.scopes ?? (actor.scopes ? [...actor.scopes] : ['*']);
    const callerLevel = actor.scopes ? Math.max(0, ...actor.scopes.map((s) => SCOPE_LEVEL[s] ?? 0)) : 3;
    const wanted = Math.max(...scopes.map((s) => SCOPE_LEVEL[s] ?? 0));
    if (wanted > callerLevel) {
      throw new StockroomError('FORBIDDEN', 'A token cannot create a token with more scopes than its own. Ask for fewer scopes, or sign in to the dashboard.', {
        scopes,
      });
    }
    const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null;
    return this.db.$transaction(async (tx) => {
      const created = await this.create(actor.user.id, { name: input.name, scopes, expiresAt }, tx);
      await this.changes.record(tx, actor, { action: 'token.create', targetType: 'token', targetId: created.id, data: { name: input.name, scopes } }, []);
      return { token: toApiToken(created.row), secret: created.secret };
    });
  }

  /** Housekeeping: dashboard sign-ins' WebSocket tokens are deleted once expired or revoked, so they never pile up. */
  async pruneSessionBound(now = new Date()): Promise<number> {
    return tokenRows.deleteSpentSessionBound(this.db, now);
  }

  /** tokens.list: the person's own tokens (a dashboard sign-in's WebSocket token is part of that sign-in, not listed). */
  async list(actor: Actor, params: { userId?: string; includeRevoked?: boolean }): Promise<ApiToken[]> {
    const userId = params.userId ?? actor.user.id;
    this.access.assert(actor, userId === actor.user.id ? 'token.manage' : 'admin.read');
    const rows = await tokenRows.ofUser(this.db, userId, params.includeRevoked ?? false);
    return rows.map(toApiToken);
  }

  /** tokens.revoke: your own, or anybody's for administrators. Open connections using it are closed. */
  async revokeForActor(actor: Actor, tokenId: string): Promise<ApiToken> {
    const row = await tokenRows.byId(this.db, tokenId);
    if (!row) throw new StockroomError('NOT_FOUND', 'There is no such token. List the tokens to pick one.', { tokenId });
    if (row.userId !== actor.user.id) {
      // Do not reveal other people's tokens to members.
      if (!this.access.can(actor, 'admin.manage')) throw new StockroomError('NOT_FOUND', 'There is no such token. List the tokens to pick one.', { tokenId });
    } else {
      this.access.assert(actor, 'token.manage');
    }
    return this.db.$transaction(async (tx) => {
      const [updated] = await this.revokeIds(tx, actor, [tokenId], 'revoked');
      return toApiToken(updated ?? row);
    });
  }

  /**
   * Revokes tokens inside the caller's transaction, writes the audit rows and the
   * internal `token.revoked` event that makes every server process close their connections.
   */
  async revokeIds(tx: Tx, actor: Actor | null, tokenIds: string[], reason: string): Promise<TokenRow[]> {
    if (tokenIds.length === 0) return [];
    const now = new Date();
    const rows = await tokenRows.revoke(tx, tokenIds, now);
    for (const row of rows) {
      await this.changes.record(
        tx,
        actor,
        { action: 'token.revoke', targetType: 'token', targetId: row.id, data: { name: row.name, userId: row.userId, reason } },
        [],
      );
    }
    await this.changes.record(tx, actor, null, [{ event: 'token.revoked', data: { tokenIds } }]);
    return rows;
  }

  /** Low level revoke, kept for callers without an actor (tests, scripts). */
  async revoke(tokenId: string): Promise<void> {
    await this.db.$transaction((tx) => this.revokeIds(tx, null, [tokenId], 'revoked'));
  }

  /** Resolves a bearer secret to its user, or throws UNAUTHENTICATED with what to do. */
  async authenticate(secret: string): Promise<AuthenticatedToken> {
    const row = await tokenRows.byHash(this.db, hashToken(secret));
    if (!row) {
      throw new StockroomError('UNAUTHENTICATED', 'This token is not valid. Sign in again or create a new token in the dashboard.');
    }
    if (row.revokedAt) {
      throw new StockroomError('UNAUTHENTICATED', 'This token was revoked. Sign in again to get a new one.', { reason: 'revoked' });
    }
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
      throw new StockroomError('UNAUTHENTICATED', 'This token has expired. Sign in again to get a new one.', { reason: 'expired' });
    }
    if (row.user.disabledAt) {
      throw new StockroomError('UNAUTHENTICATED', 'This account is disabled. Ask an administrator.', { reason: 'disabled' });
    }
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await tokenRows.touch(this.db, row.id, new Date());
    }
    const { user } = row;
    return {
      tokenId: row.id,
      scopes: row.scopes,
      user: { id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt, disabledAt: user.disabledAt },
    };
  }
}
