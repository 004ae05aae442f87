import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { openDatabase, type Database } from './adapters/database.ts';
import { PgEventBus } from './adapters/event-bus.ts';
import { DiskBlobStore } from './adapters/blob-store/disk.ts';
import type { BlobStore } from './adapters/blob-store/types.ts';
import { AccessPolicy } from './services/access.ts';
import { AssetsService } from './services/assets.ts';
import { ChangeRecorder } from './services/change-recorder.ts';
import { ClientsService } from './services/clients.ts';
import { CollectionsService } from './services/collections.ts';
import { LocksService } from './services/locks.ts';
import { PlacementsService } from './services/placements.ts';
import { TokensService } from './services/tokens.ts';
import { UploadsService } from './services/uploads.ts';
import { UsersService, type BootstrapResult } from './services/users.ts';
import { VersionsService } from './services/versions.ts';
import { AuditService } from './services/audit.ts';
import { GrantsService } from './services/grants.ts';
import { GroupsService } from './services/groups.ts';
import { registerAccessMethods } from './rpc/auth-methods.ts';
import { RateLimits } from './auth/rate-limits.ts';
import { setUpAuth } from './auth/setup.ts';
import { registerCoreMethods } from './rpc/core-methods.ts';
import { registerAdminMethods } from './rpc/admin-methods.ts';
import { registerLibraryMethods } from './rpc/library-methods.ts';
import { LibraryService } from './services/library.ts';
import { LibraryRepository } from './repositories/library.ts';
import { CollectionsRepository } from './repositories/collections.ts';
import { CollectionChangesService } from './services/collection-changes.ts';
import { TrashPurger } from './jobs/trash-purger.ts';
import { libraryDownloadRouter } from './http/library-download.ts';
import { AdminStatsService } from './services/admin-stats.ts';
import { dashboardRouter } from './http/dashboard.ts';
import { MethodRegistry } from './rpc/registry.ts';
import { errorHandler } from './http/errors.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { restRouter } from './http/rest.ts';
import { contentRouter } from './http/content.ts';
import { createUploadHandler, receivedBytesIn } from './uploads/index.ts';
import { WsGateway } from './ws/server.ts';
import { createSearch, registerSearchMethods } from './compose-search.ts';
import { metricsHandler } from './http/metrics.ts';
import { createMediaPipeline } from './jobs/pipeline.ts';
import { registerMediaMethods } from './rpc/media-methods.ts';
import { derivativeContentRouter } from './http/derivative-content.ts';
import type { DerivativesService } from './services/derivatives.ts';
import { OutboxPruner } from './jobs/outbox-pruner.ts';

/** `tool`: services only, no HTTP and no job processing (command-line tools such as the bulk import). */
export type Role = 'all' | 'api' | 'worker' | 'tool';

export interface Stockroom {
  config: Config;
  logger: Logger;
  database: Database;
  blobStore: BlobStore;
  services: Services;
  registry: MethodRegistry;
  bootstrap: BootstrapResult;
  /** Set for the api role. */
  http?: { server: Server; url: string; ws: WsGateway };
  stop(): Promise<void>;
}

export interface Services {
  access: AccessPolicy;
  changes: ChangeRecorder;
  tokens: TokensService;
  users: UsersService;
  uploads: UploadsService;
  assets: AssetsService;
  locks: LocksService;
  versions: VersionsService;
  collections: CollectionsService;
  placements: PlacementsService;
  clients: ClientsService;
  derivatives: DerivativesService;
  groups: GroupsService;
  grants: GrantsService;
  audit: AuditService;
}

/** The composition root: builds every adapter, service and transport from validated configuration. */
export async function startStockroom(config: Config, options: { role?: Role; logger?: Logger } = {}): Promise<Stockroom> {
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config, logger);
  const db = database.prisma;
  // The S3 client library is slow to load: only when configured.
  const blobStore: BlobStore = config.s3
    ? (await import('./adapters/blob-store/s3.ts')).createS3BlobStore(config.s3)
    : new DiskBlobStore(config.storageDir);

  const access = new AccessPolicy(db);
  const changes = new ChangeRecorder();
  const tokens = new TokensService(db, access, changes);
  const users = new UsersService(db, tokens, access, changes);
  const groups = new GroupsService(db, access, changes);
  const grants = new GrantsService(db, access, changes);
  const audit = new AuditService(db, access);
  const limits = new RateLimits(database.url);
  const uploads = new UploadsService(db, receivedBytesIn(config.uploadDir));
  const assets = new AssetsService(db, access, changes, uploads);
  const locks = new LocksService(db, access, changes);
  const versions = new VersionsService(db, access, changes, locks, uploads);
  const collections = new CollectionsService(db, access, changes);
  const placements = new PlacementsService(db, access);
  const clients = new ClientsService(db, access, changes);
  const media = createMediaPipeline({ db, sql: database.sql, databaseUrl: database.url, blobStore, access, changes, settings: config.media, logger });
  const derivatives = media.derivatives;
  const services: Services = { access, changes, tokens, users, uploads, assets, locks, versions, collections, placements, clients, derivatives, groups, grants, audit };

  const bootstrap = await users.bootstrapAdmin(config.admin);
  const registry = new MethodRegistry();
  registerCoreMethods(registry, services);
  registerAccessMethods(registry, { users, tokens, groups, grants, audit, limits });
  registerAdminMethods(registry, { adminStats: new AdminStatsService(db, access, config) });
  const search = await createSearch({ config, db, sql: database.sql, databaseUrl: database.url, access, logger });
  registerSearchMethods(registry, search.service);
  const library = new LibraryService(db, new LibraryRepository(db), access, changes, assets, () => search.service, { trashRetentionDays: config.trashRetentionDays });
  registerLibraryMethods(registry, library, new CollectionChangesService(db, new CollectionsRepository(), access, changes));
  registerMediaMethods(registry, derivatives);

  const stoppers: Array<() => Promise<void>> = [];
  stoppers.push(() => limits.close());
  // Keeping the search index in step is worker work: the all and worker roles.
  await search.start({ index: role === 'all' || role === 'worker' });
  stoppers.push(() => search.stop());
  if (role === 'all' || role === 'worker') {
    const pruner = new OutboxPruner(db, logger.child({ component: 'outbox-pruner' }), { retentionMs: config.outboxRetentionMs });
    pruner.start();
    stoppers.push(() => pruner.stop());
    const purger = new TrashPurger(library, logger.child({ component: 'trash-purger' }));
    purger.start();
    stoppers.push(() => purger.stop());
  }
  // The worker runs in the all and worker roles: by default one process serves and converts.
  await media.start({ work: role === 'all' || role === 'worker' });
  stoppers.push(() => media.stop());
  let http: Stockroom['http'];
  if (role === 'all' || role === 'api') {
    const bus = new PgEventBus(database.url, logger);
    await bus.start();
    stoppers.push(() => bus.stop());
    // Bearer tokens everywhere; the dashboard's session cookie (with CSRF) under /auth, /api and /admin.
    const auth = setUpAuth({ config, db, logger, users, tokens, access, audit, limits });
    const authenticate = auth.authenticate;
    const app = express();
    app.disable('x-powered-by');
    auth.mount(app);
    auth.start();
    stoppers.push(() => auth.stop());
    app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
    app.get('/metrics', metricsHandler);
    app.get('/readyz', async (_req, res) => {
      try {
        await db.$queryRaw`SELECT 1`;
        res.json({ status: 'ready' });
      } catch {
        res.status(503).json({ status: 'unavailable', reason: 'database' });
      }
    });
    const uploadHandler = createUploadHandler({
      prisma: db,
      blobStore,
      uploadDir: config.uploadDir,
      maxUploadBytes: config.maxUploadBytes,
      expireAfterMs: config.uploadExpiryMs,
      logger,
      authenticate,
    });
    uploadHandler.startCleanup();
    stoppers.push(async () => uploadHandler.stop());
    app.use(uploadHandler.router);
    app.use(contentRouter(versions, blobStore, authenticate, logger));
    app.use(derivativeContentRouter(derivatives, blobStore, authenticate, logger));
    app.use(libraryDownloadRouter(library, blobStore, authenticate, logger));
    const openapi = buildOpenApiDocument(registry);
    app.get('/api/openapi.json', (_req, res) => res.json(openapi));
    app.use('/api', express.json({ limit: '2mb' }));
    app.use(restRouter(registry, authenticate, logger));
    app.use('/admin', dashboardRouter(logger));
    app.use(errorHandler(logger));
    const server = createServer(app);
    const ws = new WsGateway(server, bus, {
      registry,
      tokens,
      clients,
      access,
      logger,
      maxFrameBytes: config.wsMaxFrameBytes,
      limits,
      allowedOrigins: config.auth.wsAllowedOrigins,
    });
    clients.start();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    http = { server, url: `http://${host}:${address.port}`, ws };
    stoppers.push(async () => {
      await ws.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await clients.stop();
    });
    logger.info({ url: http.url, role }, 'Stockroom is listening');
  }

  let stopped = false;
  return {
    config,
    logger,
    database,
    blobStore,
    services,
    registry,
    bootstrap,
    http,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stoppers.reverse()) await stop().catch((error) => logger.warn({ err: error }, 'error while stopping'));
      await database.close();
    },
  };
}
