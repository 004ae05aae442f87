// The indexer is woken by outbox notifications, except for events that change nothing it
// indexes (derivative and job events, two per thumbnailed image): those wait for its next look.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDatabaseClients, type DatabaseClients } from '@stockroom/prisma';
import { createSearch, type Search } from '../../src/compose-search.ts';
import { createLogger } from '../../src/logger.ts';
import { parseEventNotification } from '../../src/repositories/outbox.ts';
import { AccessPolicy } from '../../src/services/access.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let clients: DatabaseClients;
let search: Search;

beforeAll(async () => {
  database = await createTestDatabase();
  clients = createDatabaseClients(database.url, { max: 4 });
  search = await createSearch({
    config: { typesense: undefined },
    db: clients.prisma,
    sql: clients.pool,
    databaseUrl: database.url,
    access: new AccessPolicy(clients.prisma),
    logger: createLogger('silent'),
    // No poll during the test: every wake-up comes from a notification.
    indexerOptions: { pollMs: 600_000 },
  });
  await search.start({ index: true });
});

afterAll(async () => {
  await search?.stop();
  await clients?.close();
  await database?.drop();
});

const insertEvent = (event: string, data: unknown) =>
  clients.pool.query('INSERT INTO outbox_events (event, data) VALUES ($1, $2::jsonb)', [event, JSON.stringify(data)]);

describe('indexer wake-ups', () => {
  it('reads the notification payload: "<id>:<event>", or a bare id', () => {
    expect(parseEventNotification('42:asset.updated')).toEqual({ id: '42', event: 'asset.updated' });
    expect(parseEventNotification('42')).toEqual({ id: '42', event: null });
    expect(parseEventNotification('not an id')).toBeNull();
  });

  it('wakes for asset events, not for derivative or job events', async () => {
    const wake = vi.spyOn(search.indexer, 'wake');
    try {
      await insertEvent('derivative.ready', { assetId: '00000000-0000-0000-0000-000000000001', collectionId: null, derivative: {} });
      await insertEvent('job.progress', { jobId: 'x', assetId: '00000000-0000-0000-0000-000000000001', percent: 5 });
      // A notification arrives within milliseconds; give these two ample time to (not) wake it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(wake).not.toHaveBeenCalled();
      await insertEvent('asset.deleted', { assetId: '00000000-0000-0000-0000-000000000001', collectionId: null });
      await expect.poll(() => wake.mock.calls.length, { timeout: 5000, interval: 20 }).toBe(1);
    } finally {
      wake.mockRestore();
    }
  });
});
