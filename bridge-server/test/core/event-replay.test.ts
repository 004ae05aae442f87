// A process's LISTEN connection killed from the database side (pg_terminate_backend):
// the events committed while it was away still reach its WebSocket clients, once
// each and in order, past an id that was rolled back.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_BUS_APPLICATION_NAME } from '../../src/adapters/event-bus.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { seedUpload } from '../support/seed.ts';
import { startTestServer, type TestServer, type TestUser } from '../support/server.ts';

const BIN = { fileName: 'data.bin', mimeType: 'application/octet-stream' };
let server: TestServer;
let alice: TestUser;
let admin: pg.Client;

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.createUser({ name: 'Alice' });
  admin = new pg.Client({ connectionString: server.database.url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
  await server?.destroy();
});

/** Terminates this database's LISTEN connection of the event bus; resolves once it is gone. */
async function killListener(): Promise<void> {
  const { rows } = await admin.query<{ terminated: boolean }>(
    'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
    [EVENT_BUS_APPLICATION_NAME],
  );
  expect(rows.map((r) => r.terminated)).toEqual([true]);
}

async function createAssets(actor: RawSocket, names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) {
    const asset = await actor.call('assets.create', { uploadId: (await seedUpload(server.stockroom, alice.id, BIN)).uploadId, name });
    ids.push(asset.id as string);
  }
  return ids;
}

describe('events across a lost LISTEN connection', () => {
  it('replays the events committed while the listener was reconnecting, once each, in order, past a rolled-back id', async () => {
    const watcher = await RawSocket.signedIn(server.wsUrl, alice.token, 'figma');
    await watcher.call('events.subscribe', { events: ['asset.created'] });
    const actor = await RawSocket.signedIn(server.wsUrl, alice.token, 'photoshop');
    const created = () => watcher.frames.filter((f) => f.event === 'asset.created').map((f) => f.data.asset.name as string);

    await createAssets(actor, ['before']);
    await watcher.event('asset.created', (d) => d.asset.name === 'before');

    for (const round of [1, 2]) {
      await killListener();
      // An id taken and rolled back: a gap the replay must not wait on forever.
      await admin.query('BEGIN');
      await admin.query(`INSERT INTO outbox_events (event, data) VALUES ('asset.created', '{}'::jsonb)`);
      await admin.query('ROLLBACK');
      // Committed while nobody of this process listens (it reconnects after a second).
      const names = [`round ${round} a`, `round ${round} b`, `round ${round} c`];
      await createAssets(actor, names);
      await watcher.event('asset.created', (d) => d.asset.name === names[2]);
    }
    // One more live event after the replays, to show nothing is delivered twice around it.
    await createAssets(actor, ['after']);
    await watcher.event('asset.created', (d) => d.asset.name === 'after');
    expect(created()).toEqual(['before', 'round 1 a', 'round 1 b', 'round 1 c', 'round 2 a', 'round 2 b', 'round 2 c', 'after']);
    watcher.close();
    actor.close();
  });
});
