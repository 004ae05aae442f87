// The ChangeRecorder writes several events of one change in one statement; their outbox ids
// must follow the order they were given (clients and the search index apply them in id order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { ChangeRecorder, type OutgoingEvent } from '../../src/services/change-recorder.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

let database: TestDatabase;
let db: PrismaClient;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrismaClient(database.url, { max: 2 });
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
});

describe('ChangeRecorder', () => {
  it('writes a batch of events in the order given, and runs the listeners for each', async () => {
    const recorder = new ChangeRecorder();
    const heard: string[] = [];
    recorder.onEvent(async (_tx, event) => {
      heard.push((event.data as { assetId: string }).assetId);
    });
    const events = ['c', 'a', 'b', 'e', 'd'].map(
      (name) => ({ event: 'asset.deleted', data: { assetId: name, collectionId: null } }) as unknown as OutgoingEvent,
    );
    await db.$transaction((tx) => recorder.record(tx, null, null, events));
    const rows = await db.$queryRaw<{ event: string; data: { assetId: string } }[]>`SELECT event, data FROM outbox_events ORDER BY id`;
    expect(rows.map((row) => row.data.assetId)).toEqual(['c', 'a', 'b', 'e', 'd']);
    expect(rows.every((row) => row.event === 'asset.deleted')).toBe(true);
    expect(heard).toEqual(['c', 'a', 'b', 'e', 'd']);
  });

  it('writes several audit rows and the events of one change together, each in the order given, and rolls them back together', async () => {
    const recorder = new ChangeRecorder();
    const actor = {
      user: { id: '00000000-0000-4000-8000-000000000001', name: 'Ada', email: 'ada@example.com', role: 'member' as const },
      clientApp: 'photoshop',
      grants: new Map(),
    };
    const target = crypto.randomUUID();
    const audits = ['asset.checkin', 'asset.release'].map((action, n) => ({ action, targetType: 'asset', targetId: target, data: { n } }));
    const events = ['version.created', 'asset.unlocked', 'asset.updated'].map(
      (event) => ({ event, data: { assetId: target, collectionId: null } }) as unknown as OutgoingEvent,
    );
    // The actor is no row of users: audit_events.actorId has no foreign key, so this is only about the writing.
    await db.$transaction((tx) => recorder.record(tx, actor, audits, events));
    const written = await db.$queryRaw<{ action: string; actorId: string; clientApp: string; data: { n: number } }[]>`
      SELECT action, "actorId"::text AS "actorId", "clientApp", data FROM audit_events WHERE "targetId" = ${target} ORDER BY id`;
    expect(written).toEqual([
      { action: 'asset.checkin', actorId: actor.user.id, clientApp: 'photoshop', data: { n: 0 } },
      { action: 'asset.release', actorId: actor.user.id, clientApp: 'photoshop', data: { n: 1 } },
    ]);
    const outbox = await db.$queryRaw<{ event: string }[]>`SELECT event FROM outbox_events WHERE data ->> 'assetId' = ${target} ORDER BY id`;
    expect(outbox.map((row) => row.event)).toEqual(['version.created', 'asset.unlocked', 'asset.updated']);

    const other = crypto.randomUUID();
    const failing = db.$transaction(async (tx) => {
      await recorder.record(tx, actor, { action: 'asset.checkin', targetType: 'asset', targetId: other }, [
        { event: 'asset.updated', data: { assetId: other } } as unknown as OutgoingEvent,
      ]);
      throw new Error('the change fails after recording');
    });
    await expect(failing).rejects.toThrow('the change fails after recording');
    expect(await db.$queryRaw`SELECT id FROM audit_events WHERE "targetId" = ${other}`).toEqual([]);
    expect(await db.$queryRaw`SELECT id FROM outbox_events WHERE data ->> 'assetId' = ${other}`).toEqual([]);
  });
});
