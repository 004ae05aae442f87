import { createHash, randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { createDatabaseClients, type DatabaseClients } from '@stockroom/prisma';
import { PrismaAssetsRepository } from '../../src/repositories/assets.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { assetsRepositoryContract } from '../unit/contracts/assets-repository.contract.ts';

let database: TestDatabase | undefined;
let clients: DatabaseClients | undefined;

assetsRepositoryContract('Prisma on PostgreSQL', async () => {
  database = await createTestDatabase();
  clients = createDatabaseClients(database.url, { max: 2 });
  const db = clients.prisma;
  return {
    repo: new PrismaAssetsRepository(),
    tx: db,
    user: async (name) => (await db.user.create({ data: { name, email: `${name.toLowerCase()}-${randomUUID()}@example.com` } })).id,
    collection: async () => (await db.collection.create({ data: { name: 'C', slug: `c-${randomUUID()}` } })).id,
    blob: async () => {
      const sha256 = createHash('sha256').update(randomUUID()).digest('hex');
      await db.blob.create({ data: { sha256, size: 1234n, storageKey: `k/${sha256}` } });
      return sha256;
    },
  };
});

afterAll(async () => {
  await clients?.close();
  await database?.drop();
});
