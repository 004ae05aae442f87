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
});
