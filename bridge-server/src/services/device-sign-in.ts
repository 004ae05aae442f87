import { randomBytes, randomInt } from 'node:crypto';
import { StockroomError, type DeviceCodeResponse, type DeviceTokenError, type DeviceTokenResponse } from '@stockroom/shared-types';
import type { Actor } from './actor.ts';
import type { AuditService } from './audit.ts';
import type { Db } from '../repositories/db.ts';
import { auditRows } from '../repositories/audit.ts';
import { userRows } from '../repositories/people.ts';
import { deviceCodeRows } from '../repositories/sessions.ts';
import { hashToken, type TokensService } from './tokens.ts';
import { toUser } from './users.ts';

/** Letters without vowels or look-alikes (RFC 8628 §6.1): no words, no 0/O or 1/I confusion. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const SLOW_DOWN_STEP_SEC = 5;
const DEVICE_TOKEN_TTL_MS = 180 * 86_400_000;

export class DeviceGrantError extends Error {
  constructor(readonly body: DeviceTokenError) {
    super(body.error_description);
  }
}

export interface PendingDevice {
  userCode: string;
  clientApp: string;
  machine: string;
  address: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** Normalises what a person typed: case, spaces and dashes do not matter. */
export function normalizeUserCode(input: string): string {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  return letters.length === 8 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : letters;
}

/**
 * Device sign-in for panels, in the style of the OAuth 2.0 device authorization
 * grant (RFC 8628): the panel gets a secret device code and a short user code;
 * a signed-in person approves the user code in the browser; the panel's next poll
 * receives a token of its own. Codes expire, yield one token once, and polling
 * faster than the interval is answered with slow_down.
 */
export class DeviceSignIn {
  constructor(
    private readonly db: Db,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly options: { ttlMs: number; intervalMs: number },
  ) {}

  async start(input: { clientApp: string; machine: string; address?: string }, verificationUri: string): Promise<DeviceCodeResponse> {
    const deviceCode = randomBytes(32).toString('base64url');
    const intervalSec = Math.max(1, Math.round(this.options.intervalMs / 1000));
    for (let attempt = 0; ; attempt++) {
      const userCode = newUserCode();
      try {
        await deviceCodeRows.create(this.db, {
          deviceCodeHash: hashToken(deviceCode),
          userCode,
          clientApp: input.clientApp,
          machine: input.machine,
          address: input.address ?? null,
          intervalSec,
          expiresAt: new Date(Date.now() + this.options.ttlMs),
        });
        return {
          deviceCode,
          userCode,
          verificationUri,
          verificationUriComplete: `${verificationUri}?code=${encodeURIComponent(userCode)}`,
          expiresIn: Math.round(this.options.ttlMs / 1000),
          interval: intervalSec,
        };
      } catch (error) {
        // A user code still in the table (20^8 codes): draw again.
        if (attempt >= 5 || (error as { code?: string }).code !== 'P2002') throw error;
      }
    }
  }

  /** The request behind a user code, while it waits for a decision. */
  async pending(userCode: string): Promise<PendingDevice | null> {
    const row = await deviceCodeRows.byUserCode(this.db, normalizeUserCode(userCode));
    if (!row || row.status !== 'pending' || row.expiresAt.getTime() <= Date.now()) return null;
    return { userCode: row.userCode, clientApp: row.clientApp, machine: row.machine, address: row.address, createdAt: row.createdAt, expiresAt: row.expiresAt };
  }

  /** The signed-in person approves or denies; only a pending, unexpired code can be decided, once. */
  async decide(actor: Actor, userCode: string, approve: boolean): Promise<PendingDevice> {
    const pending = await this.pending(userCode);
    if (!pending) {
      throw new StockroomError('NOT_FOUND', 'This code is unknown, expired or was already used. Start the sign-in again in the app to get a new code.');
    }
    const decided = await deviceCodeRows.decide(this.db, pending.userCode, approve ? 'approved' : 'denied', actor.user.id, new Date());
    if (!decided) throw new StockroomError('CONFLICT', 'This code was decided already. Start the sign-in again in the app if needed.');
    await this.audit.record({
      action: approve ? 'device.approve' : 'device.deny',
      actorId: actor.user.id,
      targetType: 'device',
      targetId: pending.userCode,
      clientApp: actor.clientApp,
      ip: actor.ip,
      data: { app: pending.clientApp, machine: pending.machine, address: pending.address },
    });
    return pending;
  }

  /** The panel's poll: a token once approved, otherwise an RFC 8628 error. */
  async poll(deviceCode: string, address?: string): Promise<DeviceTokenResponse> {
    const row = await deviceCodeRows.byDeviceCodeHash(this.db, hashToken(deviceCode));
    if (!row || row.status === 'used') {
      throw new DeviceGrantError({ error: 'invalid_grant', error_description: 'This device code is unknown or was already used. Start the sign-in again.' });
    }
    const now = Date.now();
    if (row.expiresAt.getTime() <= now) {
      throw new DeviceGrantError({ error: 'expired_token', error_description: 'The code expired before it was approved. Start the sign-in again.' });
    }
    if (row.status === 'denied') {
      throw new DeviceGrantError({ error: 'access_denied', error_description: 'The sign-in was denied in the browser.' });
    }
    if (row.lastPolledAt && now - row.lastPolledAt.getTime() < row.intervalSec * 1000) {
      const intervalSec = row.intervalSec + SLOW_DOWN_STEP_SEC;
      await deviceCodeRows.polled(this.db, row.id, new Date(now), intervalSec);
      throw new DeviceGrantError({
        error: 'slow_down',
        error_description: `Polling too fast: wait ${intervalSec} seconds between polls.`,
        interval: intervalSec,
      });
    }
    await deviceCodeRows.polled(this.db, row.id, new Date(now));
    if (row.status === 'pending' || !row.userId) {
      throw new DeviceGrantError({ error: 'authorization_pending', error_description: 'Waiting for the person to approve the code in the browser.' });
    }
    const userId = row.userId;
    return this.db.$transaction(async (tx) => {
      // Exactly one poll turns an approval into a token.
      if (!(await deviceCodeRows.use(tx, row.id)))
        throw new DeviceGrantError({ error: 'invalid_grant', error_description: 'This device code was already used. Start the sign-in again.' });
      const user = await userRows.byId(tx, userId);
      if (!user)
        throw new DeviceGrantError({
          error: 'invalid_grant',
          error_description: 'The account that approved this code no longer exists. Start the sign-in again.',
        });
      if (user.disabledAt) throw new DeviceGrantError({ error: 'access_denied', error_description: 'This account is disabled.' });
      const name = `${row.clientApp} on ${row.machine}`;
      const expiresAt = new Date(Date.now() + DEVICE_TOKEN_TTL_MS);
      const created = await this.tokens.create(userId, { name, scopes: ['*'], expiresAt }, tx);
      await deviceCodeRows.setToken(tx, row.id, created.id);
      await auditRows.create(tx, {
        actorId: userId,
        action: 'token.create',
        targetType: 'token',
        targetId: created.id,
        clientApp: row.clientApp,
        ip: address ?? null,
        data: { name, via: 'device', machine: row.machine },
      });
      return { token: created.secret, tokenId: created.id, name, expiresAt: expiresAt.toISOString(), user: toUser(user) };
    });
  }

  /** Removes codes that expired a day ago (called now and then). */
  async prune(): Promise<void> {
    await deviceCodeRows.deleteExpiredBefore(this.db, new Date(Date.now() - 86_400_000));
  }
}

function newUserCode(): string {
  const letters = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}
