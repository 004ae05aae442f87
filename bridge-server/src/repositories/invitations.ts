import type { Db, Tx } from './db.ts';

const withInviter = {
  select: { id: true, email: true, role: true, invitedById: true, createdAt: true, expiresAt: true, acceptedAt: true, revokedAt: true },
} as const;

/** Invitations (one-time sign-up links): rows in, rows out. */
export class InvitationsRepository {
  constructor(private readonly db: Db) {}

  list(limit: number) {
    return this.db.invitation.findMany({ ...withInviter, orderBy: { createdAt: 'desc' }, take: limit });
  }

  create(tx: Tx, data: { tokenHash: string; email: string; role: 'admin' | 'member'; invitedById: string; expiresAt: Date }) {
    return tx.invitation.create({ data, ...withInviter });
  }

  find(id: string, tx: Tx | Db = this.db) {
    return tx.invitation.findUnique({ where: { id }, ...withInviter });
  }

  byTokenHash(tokenHash: string) {
    return this.db.invitation.findUnique({ where: { tokenHash }, ...withInviter });
  }

  /** The invitation of this secret, its row locked for the rest of the transaction (one acceptance at a time). */
  async lockByTokenHash(tx: Tx, tokenHash: string) {
    const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM invitations WHERE "tokenHash" = ${tokenHash} FOR UPDATE`;
    return rows[0] ? this.find(rows[0].id, tx) : null;
  }

  markAccepted(tx: Tx, id: string, userId: string, at: Date) {
    return tx.invitation.update({ where: { id }, data: { acceptedAt: at, userId } });
  }

  markRevoked(tx: Tx, id: string, at: Date) {
    return tx.invitation.update({ where: { id }, data: { revokedAt: at }, ...withInviter });
  }

  inviters(ids: string[]) {
    return this.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } });
  }

  userByEmail(email: string, tx: Tx | Db = this.db) {
    return tx.user.findUnique({ where: { email }, select: { id: true } });
  }

  createUser(tx: Tx, data: { email: string; name: string; role: 'admin' | 'member'; passwordHash: string }) {
    return tx.user.create({ data, select: { id: true, email: true, name: true } });
  }
}
