import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { StockroomError, type User } from '@stockroom/shared-types';
import { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { ChangeRecorder } from './change-recorder.ts';
import type { Db, Tx } from '../repositories/db.ts';
import { PG_UNIQUE_VIOLATION } from '../repositories/db.ts';
import { userRows, webSessionRows } from '../repositories/people.ts';
import { hashSid } from '../repositories/sessions.ts';
import type { TokensService } from './tokens.ts';
import { assertStrongPassword } from './password-policy.ts';

export interface BootstrapResult {
  created: boolean;
  email: string;
  /** Set only when the password or token was generated now: shown once, never stored in clear. */
  generatedPassword?: string;
  generatedToken?: string;
}

type UserRow = { id: string; email: string; name: string; role: 'admin' | 'member'; createdAt: Date; disabledAt: Date | null };

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    disabledAt: row.disabledAt?.toISOString() ?? null,
  };
}

// argon2id (the library's default algorithm) with OWASP's recommended minimum cost.
export const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;

export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokensService,
    private readonly access: AccessPolicy = new AccessPolicy(db),
    private readonly changes: ChangeRecorder = new ChangeRecorder(),
  ) {}

  async create(input: { email: string; name: string; role?: 'admin' | 'member'; password?: string }) {
    return userRows.create(this.db, {
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role ?? 'member',
      passwordHash: input.password ? await hash(input.password, ARGON2) : null,
    });
  }

  /** users.create (administrators). */
  async createForActor(actor: Actor, input: { email: string; name: string; role?: 'admin' | 'member'; password?: string }): Promise<User> {
    this.access.assert(actor, 'admin.manage');
    if (input.password) assertStrongPassword(input.password, input);
    const passwordHash = input.password ? await hash(input.password, ARGON2) : null;
    try {
      return await this.db.$transaction(async (tx) => {
        const row = await userRows.create(tx, { email: input.email.toLowerCase(), name: input.name, role: input.role ?? 'member', passwordHash });
        await this.changes.record(tx, actor, { action: 'user.create', targetType: 'user', targetId: row.id, data: { email: row.email, role: row.role } }, []);
        return toUser(row);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new StockroomError('CONFLICT', 'An account with this e-mail address exists already.', { email: input.email });
      throw error;
    }
  }

  /** users.list: administrators, and managers of a collection (to grant access). */
  async list(actor: Actor, params: { query?: string; includeDisabled?: boolean }): Promise<User[]> {
    if (!this.access.managesAnyCollection(actor)) this.access.assert(actor, 'admin.read');
    const q = params.query?.trim();
    const rows = await userRows.search(this.db, { query: q || undefined, includeDisabled: params.includeDisabled });
    return rows.map(toUser);
  }

  /** users.update (administrators). Disabling or demoting an account ends its open connections everywhere. */
  async update(actor: Actor, params: { id: string; name?: string; role?: 'admin' | 'member'; disabled?: boolean; password?: string }): Promise<User> {
    this.access.assert(actor, 'admin.manage');
    if (params.id === actor.user.id && (params.disabled === true || params.role === 'member')) {
      throw new StockroomError('CONFLICT', 'You cannot disable your own account or remove your own administrator role. Ask another administrator.');
    }
    if (params.password) {
      const found = await userRows.byId(this.db, params.id);
      const person = found ? { email: found.email, name: found.name } : null;
      assertStrongPassword(params.password, person ?? {});
    }
    const passwordHash = params.password ? await hash(params.password, ARGON2) : undefined;
    return this.db.$transaction(async (tx) => {
      const current = await userRows.byId(tx, params.id);
      if (!current) throw new StockroomError('NOT_FOUND', 'There is no such account.', { userId: params.id });
      const disabledAt = params.disabled === undefined ? undefined : params.disabled ? (current.disabledAt ?? new Date()) : null;
      const row = await userRows.update(tx, params.id, { name: params.name, role: params.role, disabledAt, passwordHash });
      const changed = Object.keys(params).filter((k) => k !== 'id' && k !== 'password');
      await this.changes.record(
        tx,
        actor,
        { action: 'user.update', targetType: 'user', targetId: row.id, data: { changed, ...(params.password ? { passwordChanged: true } : {}) } },
        [],
      );
      if (params.password) await this.endSessionsOnPasswordChange(tx, actor, row.id);
      if (row.disabledAt && !current.disabledAt) {
        await webSessionRows.deleteOfUser(tx, row.id);
        await this.changes.record(tx, actor, null, [{ event: 'user.disabled', data: { userId: row.id, reason: 'disabled' } }]);
      } else if (current.role === 'admin' && row.role === 'member') {
        await this.changes.record(tx, actor, null, [{ event: 'user.disabled', data: { userId: row.id, reason: 'role' } }]);
      }
      return toUser(row);
    });
  }

  /** The signed-in person's own new password; their other dashboard sessions end (this one stays). */
  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const row = await this.verifyPassword(actor.user.email, currentPassword);
    if (!row || row.id !== actor.user.id) {
      throw new StockroomError('UNAUTHENTICATED', 'The current password is wrong. Type it again.', { reason: 'password' });
    }
    assertStrongPassword(newPassword, row);
    const passwordHash = await hash(newPassword, ARGON2);
    await this.db.$transaction(async (tx) => {
      await userRows.update(tx, row.id, { passwordHash });
      await this.changes.record(
        tx,
        actor,
        { action: 'user.update', targetType: 'user', targetId: row.id, data: { changed: [], passwordChanged: true, by: 'self' } },
        [],
      );
      await this.endSessionsOnPasswordChange(tx, actor, row.id);
    });
  }

  /**
   * A new password ends every dashboard session signed in with the old one, and their
   * WebSocket tokens (closing those sockets) — except the caller's own session when
   * administrators change their own password.
   */
  private async endSessionsOnPasswordChange(tx: Tx, actor: Actor, userId: string): Promise<void> {
    const keep = actor.user.id === userId && actor.sessionId ? hashSid(actor.sessionId) : undefined;
    const sessions = await webSessionRows.dataOfUser(tx, userId, keep);
    const wsTokenIds = sessions.flatMap((data) => (data as { wsTokenIds?: string[] } | null)?.wsTokenIds ?? []);
    await webSessionRows.deleteOfUser(tx, userId, keep);
    await this.tokens.revokeIds(tx, actor, wsTokenIds, 'password-changed');
  }

  /** Checks an e-mail and password; null when either is wrong or the account is disabled (same time either way). */
  async verifyPassword(email: string, password: string): Promise<UserRow | null> {
    const row = await userRows.byEmail(this.db, email.trim().toLowerCase());
    if (!row?.passwordHash) {
      dummyHash ??= hash(randomBytes(16).toString('hex'), ARGON2);
      await verify(await dummyHash, password).catch(() => false);
      return null;
    }
    const ok = await verify(row.passwordHash, password).catch(() => false);
    if (!ok || row.disabledAt) return null;
    return row;
  }

  async findActive(userId: string): Promise<UserRow | null> {
    const row = await userRows.byId(this.db, userId);
    return row && !row.disabledAt ? row : null;
  }

  /** Single sign-on: the account with this (verified) e-mail, created as a member on first sign-in. */
  async findOrCreateForSso(email: string, name: string): Promise<{ user: UserRow; created: boolean }> {
    const normalized = email.trim().toLowerCase();
    const existing = await userRows.byEmail(this.db, normalized);
    if (existing) return { user: existing, created: false };
    try {
      return { user: await userRows.create(this.db, { email: normalized, name: name || normalized, role: 'member' }), created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const user = await userRows.byEmail(this.db, normalized);
      if (!user) throw error;
      return { user, created: false };
    }
  }

  /**
   * On first start (no users yet) creates the administrator with its first API
   * token; the password and token come from configuration or are generated.
   */
  async bootstrapAdmin(admin: { email: string; password?: string; token?: string }): Promise<BootstrapResult> {
    const existing = await userRows.count(this.db);
    if (existing > 0) return { created: false, email: admin.email };
    const password = admin.password ?? randomBytes(12).toString('base64url');
    const user = await this.create({ email: admin.email, name: 'Administrator', role: 'admin', password });
    const token = await this.tokens.create(user.id, { name: 'first admin token', secret: admin.token });
    return {
      created: true,
      email: user.email,
      generatedPassword: admin.password ? undefined : password,
      generatedToken: admin.token ? undefined : token.secret,
    };
  }
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { code?: string } };
  return e?.code === 'P2002' || e?.code === PG_UNIQUE_VIOLATION || e?.meta?.code === PG_UNIQUE_VIOLATION;
}
