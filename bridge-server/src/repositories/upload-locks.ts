import type { Querier } from './outbox.ts';

/** NOTIFY channel on which lockers ask a holder to let go, and announce that they did. */
export const UPLOAD_LOCK_CHANNEL = 'stockroom_upload_lock';
/** First key of every upload lock (the second is the id's hash), so they never meet other advisory locks. */
const LOCK_NAMESPACE = 0x7475_7301;

/** The statements of the upload locks: session advisory locks per upload id, and their notifications. */
export const uploadLockSql = {
  async listen(client: Querier): Promise<void> {
    await client.query(`LISTEN ${UPLOAD_LOCK_CHANNEL}`);
  },

  async notify(client: Querier, message: string): Promise<void> {
    await client.query('SELECT pg_notify($1, $2)', [UPLOAD_LOCK_CHANNEL, message]);
  },

  /** True when this session now holds the lock. */
  async tryLock(client: Querier, id: string): Promise<boolean> {
    const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked', [LOCK_NAMESPACE, id]);
    return result.rows[0]?.locked ?? false;
  },

  async unlock(client: Querier, id: string): Promise<void> {
    await client.query('SELECT pg_advisory_unlock($1::int, hashtext($2))', [LOCK_NAMESPACE, id]);
  },
};
