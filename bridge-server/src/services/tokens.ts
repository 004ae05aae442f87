import { createHash, randomBytes } from 'node:crypto';
import { StockroomError } from '@stockroom/shared-types';
import type { Db } from './db.ts';

export const TOKEN_PREFIX = 'sr_';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function newTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export interface AuthenticatedToken {
  tokenId: string;
  user: { id: string; name: string; email: string; role: 'admin' | 'member'; createdAt: Date; disabledAt: Date | null };
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** API tokens: only a SHA-256 of the secret is stored (the secret has 256 bits of entropy, so no slow hash is needed). */
export class TokensService {
  constructor(private readonly db: Db) {}

  async create(userId: string, input: { name: string; scopes?: string[]; expiresAt?: Date | null; secret?: string }) {
    const secret = input.secret ?? newTokenSecret();
    const row = await this.db.apiToken.create({
      data: {
        userId,
        name: input.name,
        tokenHash: hashToken(secret),
        prefix: secret.slice(0, 8),
        scopes: input.scopes ?? ['*'],
        expiresAt: input.expiresAt ?? null,
      },
    });
    return { id: row.id, secret };
  }

  async revoke(tokenId: string): Promise<void> {
    await this.db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
  }

  /** Resolves a bearer secret to its user, or throws UNAUTHENTICATED with what to do. */
  async authenticate(secret: string): Promise<AuthenticatedToken> {
    const row = await this.db.apiToken.findUnique({ where: { tokenHash: hashToken(secret) }, include: { user: true } });
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
      await this.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
    }
    const { user } = row;
    return {
      tokenId: row.id,
      user: { id: user.id, name: user.name, email: user.email, role: user.role, createdAt: user.createdAt, disabledAt: user.disabledAt },
    };
  }
}
