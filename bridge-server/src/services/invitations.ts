import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { StockroomError, type Invitation, type InvitationRefusal, type InvitationState, type MethodParsedParams } from '@stockroom/shared-types';
import { assertStrongPassword } from './password-policy.ts';
import type { InvitationsRepository } from '../repositories/invitations.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import type { Db } from '../repositories/db.ts';
import { ARGON2, isUniqueViolation } from './users.ts';

const LISTED = 500;
const DAY_MS = 86_400_000;

type Row = NonNullable<Awaited<ReturnType<InvitationsRepository['find']>>>;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * Invitations: an administrator creates a one-time sign-up link for an e-mail address
 * and role; whoever opens it chooses a name and a password (the password policy applies)
 * and then signs in. A link works once and until it expires or is revoked; only its
 * SHA-256 is stored.
 */
export class InvitationsService {
  constructor(
    private readonly db: Db,
    private readonly repo: InvitationsRepository,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly publicUrl: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(actor: Actor): Promise<{ invitations: Invitation[] }> {
    this.access.assert(actor, 'admin.read');
    return { invitations: await this.toDtos(await this.repo.list(LISTED)) };
  }

  async create(actor: Actor, params: MethodParsedParams<'invitations.create'>): Promise<{ invitation: Invitation; link: string }> {
    this.access.assert(actor, 'admin.manage');
    const email = params.email.toLowerCase();
    if (await this.repo.userByEmail(email)) {
      throw new StockroomError('CONFLICT', `${email} has an account already. Find it under Users to change its role or reset its password.`, {
        email,
        reason: 'account-exists',
      });
    }
    const secret = `inv_${randomBytes(24).toString('base64url')}`;
    const row = await this.db.$transaction(async (tx) => {
      const created = await this.repo.create(tx, {
        tokenHash: hashOf(secret),
        email,
        role: params.role,
        invitedById: actor.user.id,
        expiresAt: new Date(this.now().getTime() + params.expiresInDays * DAY_MS),
      });
      await this.changes.record(
        tx,
        actor,
        {
          action: 'invitation.create',
          targetType: 'invitation',
          targetId: created.id,
          data: { email, role: params.role, expiresInDays: params.expiresInDays },
        },
        [],
      );
      return created;
    });
    // The secret travels in the fragment: browsers never send it to the server or in a Referer.
    return { invitation: (await this.toDtos([row]))[0]!, link: `${this.publicUrl ?? ''}/admin/invite#${secret}` };
  }

  async revoke(actor: Actor, id: string): Promise<Invitation> {
    this.access.assert(actor, 'admin.manage');
    const row = await this.db.$transaction(async (tx) => {
      const current = await this.repo.find(id, tx);
      if (!current) throw new StockroomError('NOT_FOUND', 'This invitation does not exist. Reload the list.', { id });
      if (this.stateOf(current) !== 'pending') {
        throw new StockroomError('CONFLICT', `This invitation is ${this.stateOf(current)} already; only pending invitations can be revoked.`, {
          id,
          state: this.stateOf(current),
        });
      }
      const revoked = await this.repo.markRevoked(tx, id, this.now());
      await this.changes.record(tx, actor, { action: 'invitation.revoke', targetType: 'invitation', targetId: id, data: { email: current.email } }, []);
      return revoked;
    });
    return (await this.toDtos([row]))[0]!;
  }

  /** What a link is for, when it can still be used. */
  async lookup(secret: string): Promise<{ email: string; role: 'admin' | 'member'; expiresAt: string }> {
    const row = await this.repo.byTokenHash(hashOf(secret));
    this.assertUsable(row);
    return { email: row.email, role: row.role, expiresAt: row.expiresAt.toISOString() };
  }

  /** Creates the invitee's account with their name and password, and uses the link up. */
  async accept(input: { token: string; name: string; password: string }, ip: string | undefined): Promise<{ email: string; name: string }> {
    const pending = await this.repo.byTokenHash(hashOf(input.token));
    this.assertUsable(pending);
    assertStrongPassword(input.password, { email: pending.email, name: input.name });
    const passwordHash = await hash(input.password, ARGON2);
    try {
      return await this.db.$transaction(async (tx) => {
        // Locked and checked again: of two tabs accepting at once, one wins and the other is told the link was used.
        const row = await this.repo.lockByTokenHash(tx, hashOf(input.token));
        this.assertUsable(row);
        if (await this.repo.userByEmail(row.email, tx))
          throw refused('account-exists', `${row.email} has an account already. Sign in instead, or ask an administrator to reset your password.`);
        const user = await this.repo.createUser(tx, { email: row.email, name: input.name, role: row.role, passwordHash });
        await this.repo.markAccepted(tx, row.id, user.id, this.now());
        const invitee: Actor = { user: { id: user.id, name: user.name, email: user.email, role: row.role }, clientApp: 'dashboard', ...(ip ? { ip } : {}) };
        await this.changes.record(
          tx,
          invitee,
          { action: 'invitation.accept', targetType: 'user', targetId: user.id, data: { invitationId: row.id, role: row.role } },
          [],
        );
        return { email: user.email, name: user.name };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw refused('account-exists', 'An account with this e-mail address was created meanwhile. Sign in instead.');
      throw error;
    }
  }

  private assertUsable(row: Row | null): asserts row is Row {
    const state = row ? this.stateOf(row) : 'revoked';
    if (!row || state === 'revoked')
      throw new StockroomError('NOT_FOUND', 'This invitation link is not valid (mistyped, or withdrawn). Ask the person who invited you for a new one.');
    if (state === 'accepted') throw refused('used', 'This invitation link was used already. Sign in with the e-mail address and password chosen then.');
    if (state === 'expired') throw refused('expired', 'This invitation link has expired. Ask the person who invited you for a new one.');
  }

  private stateOf(row: Row): InvitationState {
    if (row.acceptedAt) return 'accepted';
    if (row.revokedAt) return 'revoked';
    return row.expiresAt.getTime() <= this.now().getTime() ? 'expired' : 'pending';
  }

  private async toDtos(rows: Row[]): Promise<Invitation[]> {
    const inviters = new Map((await this.repo.inviters([...new Set(rows.map((r) => r.invitedById))])).map((u) => [u.id, u]));
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      invitedBy: inviters.get(r.invitedById) ?? null,
      createdAt: r.createdAt.toISOString(),
      expiresAt: r.expiresAt.toISOString(),
      acceptedAt: r.acceptedAt?.toISOString() ?? null,
      state: this.stateOf(r),
    }));
  }
}

function refused(reason: InvitationRefusal, message: string): StockroomError {
  return new StockroomError('CONFLICT', message, { reason });
}
