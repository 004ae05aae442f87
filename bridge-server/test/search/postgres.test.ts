import { PostgresSearchIndex } from '../../src/adapters/search/postgres.ts';
import { searchContract } from './contract.ts';

searchContract('postgres', async (db) => new PostgresSearchIndex(db));
