import type { Lock, Locker, RequestRelease } from '@tus/server';
import pg from 'pg';
import type pino from 'pino';
import { UPLOAD_LOCK_CHANNEL, uploadLockSql } from '../repositories/upload-locks.ts';

interface Holder {
  /** Asks the request holding the lock to finish early (tus aborts it after its drain timeout). */
  requestRelease: RequestRelease;
}

interface LockMessage {
  kind: 'release' | 'free';
  id: string;
}

export interface PgUploadLockerOptions {
  connectionString: string;
  logger: pino.Logger;
  /** How long a request waits for the lock before it is refused (423). */
  acquireTimeoutMs?: number;
  /** How often a waiter tries again when no "free" notification came. */
  retryMs?: number;
}

/**
 * A tus Locker shared by every process on one Postgres server: each upload's lock
 * is a session advisory lock held on one connection per process, and a request
 * that finds it taken asks the holder to release it (NOTIFY), the way tusd's
 * lockers do, so a stalled PATCH on one process cannot block a resume on another.
 *
 * Hand-written because no published locker does this for @tus/server (its own
 * lockers are in-memory only). Advisory locks are re-entrant per session, so a
 * local map keeps two requests of this process from both "acquiring" one lock.
 * When the connection drops, Postgres frees every lock it held: all local
 * holders are then asked to stop at once, so no write goes on unprotected.
 */
export class PgUploadLocker implements Locker {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly held = new Map<string, Holder>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private stopped = false;
  readonly acquireTimeoutMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: PgUploadLockerOptions) {
    this.acquireTimeoutMs = options.acquireTimeoutMs ?? 30_000;
    this.retryMs = options.retryMs ?? 100;
  }

  newLock(id: string): Lock {
    return new PgLock(this, id);
  }

  /** Uploads whose lock this process holds (for tests and metrics). */
  get heldCount(): number {
    return this.held.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private connection(): Promise<pg.Client> {
    if (this.stopped) return Promise.reject(new Error('the upload locker is stopped'));
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.options.connectionString, application_name: 'stockroom-upload-locks' });
    client.on('notification', (message) => {
      if (message.channel !== UPLOAD_LOCK_CHANNEL || !message.payload) return;
      let parsed: LockMessage;
      try {
        parsed = JSON.parse(message.payload) as LockMessage;
      } catch {
        return;
      }
      if (parsed.kind === 'release') void this.held.get(parsed.id)?.requestRelease();
      else this.wake(parsed.id);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    await uploadLockSql.listen(client);
    this.client = client;
    return client;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.stopped) return;
    this.options.logger.warn({ reason: error.message, held: this.held.size }, 'upload lock connection lost; asking every holder to stop');
    for (const holder of this.held.values()) void holder.requestRelease();
  }

  private wake(id: string): void {
    for (const wake of this.waiters.get(id) ?? []) wake();
  }

  private async notify(kind: LockMessage['kind'], id: string): Promise<void> {
    const client = await this.connection();
    await uploadLockSql.notify(client, JSON.stringify({ kind, id } satisfies LockMessage));
  }

  /** @internal One attempt: true when this process now holds the lock. */
  async tryAcquire(id: string, requestRelease: RequestRelease): Promise<boolean> {
    const local = this.held.get(id);
    if (local) {
      await local.requestRelease();
      return false;
    }
    // Claimed locally before the round trip: two requests of this process must not both get it.
    const holder: Holder = { requestRelease: () => {} };
    this.held.set(id, holder);
    try {
      const client = await this.connection();
      if (await uploadLockSql.tryLock(client, id)) {
        holder.requestRelease = requestRelease;
        return true;
      }
    } catch (error) {
      this.options.logger.warn({ reason: (error as Error).message, uploadId: id }, 'could not ask Postgres for an upload lock');
    }
    this.held.delete(id);
    await this.notify('release', id).catch(() => {});
    return false;
  }

  /** @internal Resolves on a "free" notification for `id`, after `retryMs`, or when `signal` aborts. */
  waitForFree(id: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set();
      this.waiters.set(id, set);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, this.retryMs);
      signal.addEventListener('abort', done, { once: true });
      set.add(done);
    });
  }

  /** @internal */
  async release(id: string): Promise<void> {
    if (!this.held.delete(id)) throw new Error(`Releasing upload lock ${id}, which this process does not hold`);
    const client = this.client;
    // A lost connection already released every lock it held.
    if (client) {
      await uploadLockSql.unlock(client, id).catch(() => {});
      await this.notify('free', id).catch(() => {});
    }
    this.wake(id);
  }
}

/** What @tus/server sends when a lock cannot be had in time: 423 Locked (see errors.ts). */
export const LOCK_TIMEOUT = { status_code: 423, body: 'the upload is locked by another request' };

class PgLock implements Lock {
  constructor(
    private readonly locker: PgUploadLocker,
    private readonly id: string,
  ) {}

  async lock(stopSignal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = Date.now() + this.locker.acquireTimeoutMs;
    while (!stopSignal.aborted && Date.now() < deadline) {
      if (await this.locker.tryAcquire(this.id, requestRelease)) return;
      await this.locker.waitForFree(this.id, stopSignal);
    }
    throw LOCK_TIMEOUT;
  }

  unlock(): Promise<void> {
    return this.locker.release(this.id);
  }
}
