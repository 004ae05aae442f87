// Outbox pruning: only events every search cursor has passed and older than the retention
// go; nothing goes without a cursor; a backlog goes in batches; the server prunes by itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { OutboxPruner } from '../../src/worker/outbox-pruner.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startTestServer } from '../support/server.ts';

const logger = createLogger('silent');
const DAY = 86_400_000;

describe('outbox pruner', () => {
  let database: TestDatabase;
  let db: PrismaClient;

  /** Adds an event of the given age and returns its id. */
  const event = async (ageMs: number): Promise<bigint> => {
    const [row] = await db.$queryRaw<{ id: bigint }[]>`
      INSERT INTO outbox_events (event, data, "createdAt")
      VALUES ('client.connected', '{}'::jsonb, ${new Date(Date.now() - ageMs)}) RETURNING id`;
    return row!.id;
  };
  const cursor = (backend: string, outboxId: bigint) =>
    db.searchIndexCursor.upsert({ where: { backend }, create: { backend, outboxId }, update: { outboxId } });
  const remaining = async () => (await db.outboxEvent.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((e) => e.id);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url, { max: 4 });
  });
  beforeEach(async () => {
    await db.outboxEvent.deleteMany();
    await db.searchIndexCursor.deleteMany();
  });
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('deletes old events at or below the lowest cursor and keeps the rest', async () => {
    await event(3 * DAY);
    const [b, c] = [await event(3 * DAY), await event(3 * DAY)];
    const [d, e] = [await event(0), await event(0)];
    await cursor('postgres', e); // this index has applied everything
    await cursor('typesense', b); // this one is behind: c must stay for it
    const pruner = new OutboxPruner(db, logger, { retentionMs: DAY });
    expect(await pruner.prune()).toBe(2);
    expect(await remaining()).toEqual([c, d, e]);
  });

  it('keeps events younger than the retention even when every cursor has passed them', async () => {
    const ids = [await event(60_000), await event(0)];
    await cursor('postgres', ids[1]!);
    expect(await new OutboxPruner(db, logger, { retentionMs: DAY }).prune()).toBe(0);
    expect(await remaining()).toEqual(ids);
  });

  it('deletes nothing while no index has a cursor', async () => {
    const ids = [await event(3 * DAY), await event(3 * DAY)];
    expect(await new OutboxPruner(db, logger, { retentionMs: DAY }).prune()).toBe(0);
    expect(await remaining()).toEqual(ids);
  });

  it('works through a backlog in batches', async () => {
    const ids: bigint[] = [];
    for (let i = 0; i < 7; i++) ids.push(await event(2 * DAY));
    await cursor('postgres', ids[6]!);
    expect(await new OutboxPruner(db, logger, { retentionMs: DAY, batchSize: 2 }).prune()).toBe(7);
    expect(await remaining()).toEqual([]);
  });

  it('runs in the server by itself, with OUTBOX_RETENTION', async () => {
    const own = await createTestDatabase();
    const ownDb = createPrismaClient(own.url, { max: 2 });
    try {
      const [row] = await ownDb.$queryRaw<{ id: bigint }[]>`
        INSERT INTO outbox_events (event, data, "createdAt")
        VALUES ('client.connected', '{}'::jsonb, now() - interval '2 hours') RETURNING id`;
      await ownDb.searchIndexCursor.create({ data: { backend: 'postgres', outboxId: row!.id } });
      const server = await startTestServer({ database: own, env: { OUTBOX_RETENTION: '1h' } });
      try {
        await expect.poll(async () => ownDb.outboxEvent.count({ where: { id: row!.id } }), { timeout: 10_000 }).toBe(0);
      } finally {
        await server.stop();
      }
    } finally {
      await ownDb.$disconnect();
      await own.drop();
    }
  });
});
