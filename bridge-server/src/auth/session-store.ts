import session from 'express-session';
import type { Db } from '../repositories/db.ts';
import { hashSid, webSessionStoreRows } from '../repositories/sessions.ts';

const DEFAULT_TTL_MS = 12 * 3600_000;

type Callback = (error?: unknown) => void;

/**
 * express-session store in Postgres (table web_sessions), so sessions hold across
 * processes and restarts. Only a hash of the session id is stored: a leaked table
 * cannot be replayed as cookies.
 */
export class PrismaSessionStore extends session.Store {
  constructor(private readonly db: Db) {
    super();
  }

  override get(sid: string, callback: (error: unknown, session?: session.SessionData | null) => void): void {
    webSessionStoreRows
      .get(this.db, hashSid(sid))
      .then((row) => {
        if (!row || row.expiresAt.getTime() <= Date.now()) return callback(null, null);
        callback(null, row.data as unknown as session.SessionData);
      })
      .catch((error) => callback(error));
  }

  override set(sid: string, data: session.SessionData, callback?: Callback): void {
    const expiresAt = expiryOf(data);
    const userId = (data as { passport?: { user?: string } }).passport?.user ?? null;
    const json = JSON.parse(JSON.stringify(data)) as object;
    webSessionStoreRows
      .put(this.db, hashSid(sid), { userId, data: json, expiresAt })
      .then(() => callback?.())
      .catch((error) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    webSessionStoreRows
      .delete(this.db, hashSid(sid))
      .then(() => callback?.())
      .catch((error) => callback?.(error));
  }

  override touch(sid: string, data: session.SessionData, callback?: Callback): void {
    webSessionStoreRows
      .setExpiry(this.db, hashSid(sid), expiryOf(data))
      .then(() => callback?.())
      .catch((error) => callback?.(error));
  }

  /** Removes expired sessions (called now and then). */
  async prune(): Promise<number> {
    return webSessionStoreRows.deleteExpired(this.db, new Date());
  }
}

function expiryOf(data: session.SessionData): Date {
  const expires = data.cookie?.expires;
  return expires ? new Date(expires) : new Date(Date.now() + DEFAULT_TTL_MS);
}
