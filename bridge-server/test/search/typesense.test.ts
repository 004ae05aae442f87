// The backend contract against a real Typesense server: runs only when TYPESENSE_URL
// (and TYPESENSE_API_KEY) point at one; see the README's "Search" section.
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { TypesenseSearchIndex } from '../../src/adapters/search/typesense.ts';
import { searchContract } from './contract.ts';

const url = process.env.TYPESENSE_URL;

if (url) {
  searchContract(
    'typesense',
    async (db) =>
      new TypesenseSearchIndex(db, {
        url,
        apiKey: process.env.TYPESENSE_API_KEY ?? '',
        alias: `stockroom_test_${randomBytes(4).toString('hex')}`,
      }),
  );
} else {
  describe('search contract: typesense', () => {
    it.skip('needs TYPESENSE_URL (a Typesense server) to run', () => {});
  });
}
