import { Gauge, register } from 'prom-client';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { listenToOutbox, type OutboxListener } from './adapters/outbox-listener.ts';
import { PostgresSearchIndex } from './adapters/search/postgres.ts';
import type { SearchIndex } from './ports/search-index.ts';
import { SearchIndexer, type SearchIndexerOptions } from './worker/search-indexer.ts';
import type { Db, Sql } from './repositories/db.ts';
import { SearchService, type ReadAccess } from './services/search.ts';

/** Postgres unless TYPESENSE_URL is set. */
export async function createSearchIndex(config: Pick<Config, 'typesense'>, db: Db): Promise<SearchIndex> {
  if (!config.typesense) return new PostgresSearchIndex(db);
  // Loaded only when configured: the client library is slow to load and most servers do without it.
  const { TypesenseSearchIndex } = await import('./adapters/search/typesense.ts');
  return new TypesenseSearchIndex(db, config.typesense);
}

export interface Search {
  service: SearchService;
  indexer: SearchIndexer;
  /** Runs the indexer in this process (the worker part of a role), woken by every outbox notification. */
  start(options: { index: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Everything search needs, built for the composition root. */
export async function createSearch(deps: {
  config: Pick<Config, 'typesense'>;
  db: Db;
  sql: Sql;
  databaseUrl: string;
  access: ReadAccess;
  logger: Logger;
  indexerOptions?: SearchIndexerOptions;
}): Promise<Search> {
  const index = await createSearchIndex(deps.config, deps.db);
  const service = new SearchService(deps.db, deps.access, index);
  const indexer = new SearchIndexer(deps.sql, index, deps.logger.child({ component: 'search-indexer' }), deps.indexerOptions);
  let listener: OutboxListener | undefined;
  // Only the wake-up matters (the indexer reads the outbox itself), so a bare LISTEN is enough.
  const listen = async (): Promise<void> => {
    listener = await listenToOutbox(deps.databaseUrl, deps.logger, {
      onEvent: (event) => indexer.notified(event),
      // Catch up with what happened while not listening.
      onListening: () => indexer.wake(),
    });
  };
  return {
    service,
    indexer,
    async start({ index: runIndexer }) {
      if (!runIndexer) return;
      await indexer.start();
      await listen();
      activeIndexers.add(indexer);
    },
    async stop() {
      activeIndexers.delete(indexer);
      await listener?.stop();
      await indexer.stop();
    },
  };
}

// Lag gauges on prom-client's default registry (served at /metrics), read when scraped.
const activeIndexers = new Set<SearchIndexer>();
function ensureLagGauges(): void {
  if (register.getSingleMetric('stockroom_search_index_lag_seconds')) return;
  const collect = async (gauge: Gauge<'backend'>, pick: (lag: { pendingEvents: number; oldestPendingSeconds: number }) => number) => {
    gauge.reset();
    for (const indexer of activeIndexers) gauge.set({ backend: indexer.backend }, pick(await indexer.lag()));
  };
  new Gauge({
    name: 'stockroom_search_index_lag_seconds',
    help: 'Age of the oldest change not yet in the search index (0 when up to date).',
    labelNames: ['backend'],
    async collect() {
      await collect(this, (lag) => lag.oldestPendingSeconds);
    },
  });
  new Gauge({
    name: 'stockroom_search_index_pending_events',
    help: 'Outbox events not yet applied to the search index.',
    labelNames: ['backend'],
    async collect() {
      await collect(this, (lag) => lag.pendingEvents);
    },
  });
}
ensureLagGauges();
