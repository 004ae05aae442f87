// Cluster-wide maintenance runs once per period whichever process asks, and the
// client sessions of a process that died without saying so are removed.
import { createDatabaseClients } from '@stockroom/prisma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.ts';
import { Housekeeping } from '../../src/services/housekeeping.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
const pools: Array<ReturnType<typeof createDatabaseClients>> = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await server?.destroy();
});

describe('housekeeping once per cluster', () => {
  it('lets exactly one of many processes run a task per period', async () => {
    // Three "processes": each its own pool and its own Housekeeping.
    const keepers = [0, 1, 2].map(() => {
      const clients = createDatabaseClients(server.database.url, { max: 4 });
      pools.push(clients);
      return new Housekeeping(clients.pool, createLogger('silent'));
    });
    let runs = 0;
    const task = { name: 'test-once', everyMs: 60_000, run: async () => void (runs += 1) };
    const first = await Promise.all(keepers.flatMap((k) => Array.from({ length: 10 }, () => k.runIfDue(task))));
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    // Within the same period nobody runs it again.
    expect((await Promise.all(keepers.map((k) => k.runIfDue(task)))).filter(Boolean)).toHaveLength(0);
    // Once the period is over (moved back here instead of waiting), exactly one runs it again.
    await pools[0]!.pool.query(`UPDATE housekeeping_runs SET "lastRunAt" = now() - interval '61 seconds' WHERE task = 'test-once'`);
    expect((await Promise.all(keepers.flatMap((k) => [k.runIfDue(task), k.runIfDue(task)]))).filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(2);
  });

  it('removes the client sessions of a process that stopped without saying so, and reports them disconnected', async () => {
    const user = await server.createUser({ role: 'admin', name: 'Watcher' });
    const watcher = await RawSocket.signedIn(server.wsUrl, user.token, 'dashboard');
    await watcher.call('events.subscribe', { events: ['client.disconnected'] });
    const db = server.stockroom.database.prisma;
    // A session left by a crashed process: its heartbeat stopped a minute ago.
    await db.clientSession.create({
      data: { id: 'crashed-session', processId: 'crashed-process', userId: user.id, app: 'photoshop', lastSeenAt: new Date(Date.now() - 60_000) },
    });
    const removed = await server.stockroom.services.clients.removeStale();
    expect(removed).toBe(1);
    expect(await db.clientSession.findUnique({ where: { id: 'crashed-session' } })).toBeNull();
    const gone = await watcher.event('client.disconnected', (d) => d.client.sessionId === 'crashed-session');
    expect(gone.data.client).toMatchObject({ user: { id: user.id }, client: { app: 'photoshop' } });
    // The live session of this process is kept.
    expect(await db.clientSession.count({ where: { processId: server.stockroom.services.clients.processId } })).toBeGreaterThan(0);
    watcher.close();
  });
});
