// Usage: ./stockroom search reindex
// Rebuilds the search index from the database while the server keeps answering searches.
import { loadConfig } from '../config.ts';
import { openDatabase } from '../repositories/database.ts';
import { createSearchIndex } from '../compose-search.ts';
import { reindexSearch } from '../worker/search-reindex.ts';
import { createLogger } from '../logger.ts';

const [command] = process.argv.slice(2);
if (command !== 'reindex') {
  console.error('usage: stockroom search reindex');
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger(config.logLevel);
const database = await openDatabase(config, logger);
try {
  const index = await createSearchIndex(config, database.prisma);
  let last = 0;
  const result = await reindexSearch(database.prisma, index, {
    onProgress: (indexed) => {
      if (indexed - last >= 10_000) {
        last = indexed;
        logger.info({ indexed }, 'reindexing');
      }
    },
  });
  logger.info({ backend: index.backend, ...result, perSecond: Math.round(result.indexed / result.seconds) }, 'search index rebuilt');
} finally {
  await database.close();
}
