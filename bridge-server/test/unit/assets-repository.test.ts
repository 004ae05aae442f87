import { createHash } from 'node:crypto';
import { InMemoryAssetsRepository } from './fakes/in-memory-assets.ts';
import { NO_TX } from './fakes/in-memory-db.ts';
import { assetsRepositoryContract } from './contracts/assets-repository.contract.ts';

assetsRepositoryContract('in memory', async () => {
  const repo = new InMemoryAssetsRepository();
  return {
    repo,
    tx: NO_TX,
    user: async (name) => repo.addUser({ name }).id,
    collection: async () => repo.addCollection(),
    blob: async () => createHash('sha256').update('bytes').digest('hex'),
  };
});
