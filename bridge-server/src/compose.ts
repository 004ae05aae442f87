import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';
import { openDatabase, type Database } from './repositories/database.ts';
import { PgEventBus } from './adapters/event-bus.ts';
import { DiskBlobStore } from './adapters/blob-store/disk.ts';
import type { BlobStore } from './ports/blob-store.ts';
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
import { RateLimits } from './auth/rate-limits.ts';
import { setUpAuth } from './http/auth-setup.ts';
import { registerAllMethods } from './rpc/methods.ts';
import { LibraryService } from './services/library.ts';
import { FavouritesService } from './services/favourites.ts';
import { LibraryRepository } from './repositories/library.ts';
import { PrismaAssetsRepository } from './repositories/assets.ts';
import { ping } from './repositories/db.ts';
import { CollectionsRepository } from './repositories/collections.ts';
import { CollectionChangesService } from './services/collection-changes.ts';
import { libraryDownloadRouter } from './http/library-download.ts';
import { AdminStatsService } from './services/admin-stats.ts';
import { dashboardRouter } from './http/dashboard.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { MethodRegistry } from './rpc/registry.ts';
import { errorHandler, unknownPath } from './http/errors.ts';
import { requestLogging } from './http/request-log.ts';
import { noSniff } from './http/security.ts';
import { guardInput } from './http/input-guard.ts';
import { buildOpenApiDocument } from './http/openapi.ts';
import { apiDocsRouter } from './http/api-docs.ts';
import { restRouter } from './http/rest.ts';
import { contentRouter } from './http/content.ts';
import { createUploadHandler, receivedBytesIn } from './uploads/index.ts';
import { PgUploadLocker } from './adapters/upload-locker.ts';
import { connectionBudget, mainPoolSize } from './adapters/connection-budget.ts';
import { Housekeeping } from './services/housekeeping.ts';
import { PgBossQueue } from './adapters/queue/pg-boss.ts';
import { HOUSEKEEPING_JOBS } from './ports/jobs.ts';
import { startWorkerHttp } from './http/worker-http.ts';
import { reportQueueDepth, reportWebSocketConnections, requestDurations } from './http/request-metrics.ts';
import { WsGateway } from './ws/server.ts';
import { createSearch } from './compose-search.ts';
import { metricsHandler } from './http/metrics.ts';
import { bearerAuthenticator } from './http/authenticate.ts';
import { createMediaPipeline } from './worker/pipeline.ts';
import { derivativeContentRouter } from './http/derivative-content.ts';
import type { DerivativesService } from './services/derivatives.ts';
import { OutboxPruner } from './worker/outbox-pruner.ts';
import { BrandKitsRepository } from './repositories/brand-kits.ts';
import { BrandKitsService } from './services/brand-kits.ts';
import { BrandContentService } from './services/brand-content.ts';
import { MetadataFieldsService } from './services/metadata-fields.ts';
import { MetadataRepository } from './repositories/metadata.ts';
import { InvitationsService } from './services/invitations.ts';
import { InvitationsRepository } from './repositories/invitations.ts';
import { invitationRouter } from './http/invitation-routes.ts';
import { DerivativeActionsService } from './services/derivative-actions.ts';
import { DerivativeActionsRepository } from './repositories/derivative-actions.ts';
import { brandContentRouter } from './http/brand-content.ts';
import { nullOriginCors } from './http/null-origin-cors.ts';
import { CommentsService } from './services/comments.ts';
import { ReviewsService } from './services/reviews.ts';
import { SharesService } from './services/shares.ts';
import { PublicSharesService } from './services/public-shares.ts';
import { shareRouter } from './http/share-routes.ts';
import { loadSessionSecret } from './auth/secret.ts';

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
  /** Set for the worker role: its /healthz, /readyz and /metrics listener (WORKER_HTTP_PORT). */
  workerHttp?: { url: string };
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
  brandKits: BrandKitsService;
  comments: CommentsService;
  reviews: ReviewsService;
  shares: SharesService;
}

/** The composition root: builds every adapter, service and transport from validated configuration. */
export async function startStockroom(config: Config, options: { role?: Role; logger?: Logger } = {}): Promise<Stockroom> {
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await openDatabase(config, logger, { poolSize: mainPoolSize(role, config) });
  logger.info({ role, mainPool: mainPoolSize(role, config), connectionBudget: connectionBudget(role, config) }, 'database connections');
  const db = database.prisma;
  // The S3 client library is slow to load: only when configured.
  let blobStore: BlobStore;
  if (config.s3) {
    const s3 = (await import('./adapters/blob-store/s3.ts')).createS3BlobStore(config.s3);
    // The bucket exists from the first start (or the start fails with a sentence saying why).
    await s3.ensureBucket(config.s3.region);
    blobStore = s3;
  } else {
    blobStore = new DiskBlobStore(config.storageDir);
  }

  const access = new AccessPolicy(db);
  const changes = new ChangeRecorder();
  const tokens = new TokensService(db, access, changes);
  const users = new UsersService(db, tokens, access, changes);
  const groups = new GroupsService(db, access, changes);
  const grants = new GrantsService(db, access, changes);
  const audit = new AuditService(db, access);
  const limits = new RateLimits(database.url);
  const uploads = new UploadsService(db, receivedBytesIn(config.uploadDir));
  const assetRows = new PrismaAssetsRepository();
  const assets = new AssetsService(db, assetRows, access, changes, uploads);
  const locks = new LocksService(db, assetRows, access, changes);
  const versions = new VersionsService(db, assetRows, access, changes, uploads);
  const collections = new CollectionsService(db, access, changes);
  const placements = new PlacementsService(db, access);
  const clients = new ClientsService(db, access, changes);
  const media = createMediaPipeline({ db, sql: database.sql, databaseUrl: database.directUrl, blobStore, access, changes, settings: config.media, logger });
  const derivatives = media.derivatives;
  const brandKits = new BrandKitsService(db, new BrandKitsRepository(db), access, changes);
  const comments = new CommentsService(db, access, changes);
  const reviews = new ReviewsService(db, access, changes);
  const shares = new SharesService(db, access, changes, config.publicUrl);
  const services: Services = {
    access,
    changes,
    tokens,
    users,
    uploads,
    assets,
    locks,
    versions,
    collections,
    placements,
    clients,
    derivatives,
    groups,
    grants,
    audit,
    brandKits,
    comments,
    reviews,
    shares,
  };

  const bootstrap = await users.bootstrapAdmin(config.admin);
  const registry = new MethodRegistry();
  const search = await createSearch({ config, db, sql: database.sql, databaseUrl: database.directUrl, access, logger });
  const library = new LibraryService(db, new LibraryRepository(db), access, changes, assets, () => search.service, {
    trashRetentionDays: config.trashRetentionDays,
  });
  const invitations = new InvitationsService(db, new InvitationsRepository(db), access, changes, config.publicUrl);
  registerAllMethods(registry, {
    ...services,
    collectionChanges: new CollectionChangesService(db, new CollectionsRepository(), access, changes),
    limits,
    library,
    favourites: new FavouritesService(db, access, changes),
    jobs: media.jobs,
    adminStats: new AdminStatsService(db, access, config),
    metadata: new MetadataFieldsService(db, new MetadataRepository(db), access, changes),
    invitations,
    derivativeActions: new DerivativeActionsService(db, new DerivativeActionsRepository(db), access, library, derivatives, changes),
    search: search.service,
  });
  // Refuses to start with a contract method nobody answers (or a handler for none).
  registry.assertComplete();

  const stoppers: Array<() => Promise<void>> = [];
  stoppers.push(() => limits.close());
  // Keeping the search index in step is worker work: the all and worker roles.
  await search.start({ index: role === 'all' || role === 'worker' });
  stoppers.push(() => search.stop());
  // Maintenance: one job per period in the whole cluster, taken by a process that declared the task
  // (this one declares what its role can do). Few jobs: they share the main pool.
  const housekeeping = new Housekeeping(
    new PgBossQueue(database.url, { ...config.media.queue, expireInSeconds: 3600 }, logger.child({ component: 'housekeeping' }), {
      jobs: HOUSEKEEPING_JOBS,
      pool: database.sql,
      policy: 'stately',
      recurring: {},
    }),
    logger.child({ component: 'housekeeping' }),
  );
  // Stopped after the listener (stoppers run last first): open connections go before maintenance does.
  stoppers.push(() => housekeeping.stop());
  if (role !== 'tool') {
    const pruner = new OutboxPruner(db, logger.child({ component: 'outbox-pruner' }), { retentionMs: config.outboxRetentionMs });
    housekeeping.schedule({ name: 'housekeeping-outbox-prune', everyMs: 3600_000, run: () => pruner.prune() });
    housekeeping.schedule(clients.staleTask);
    housekeeping.schedule({ name: 'housekeeping-trash-purge', everyMs: 3600_000, run: () => library.purgeExpired() });
  }
  // The worker runs in the all and worker roles: by default one process serves and converts.
  await media.start({ work: role === 'all' || role === 'worker' });
  reportQueueDepth(() => media.queueDepth());
  stoppers.push(() => media.stop());
  let http: Stockroom['http'];
  if (role === 'all' || role === 'api') {
    const bus = new PgEventBus(database.directUrl, logger);
    await bus.start();
    stoppers.push(() => bus.stop());
    // Bearer tokens everywhere; the dashboard's session cookie (with CSRF) under /auth, /api and /admin.
    const auth = setUpAuth({ config, db, logger, users, tokens, access, audit, limits });
    const authenticate = auth.authenticate;
    const app = express();
    app.disable('x-powered-by');
    app.use(requestLogging(logger));
    app.use(requestDurations);
    app.use(nullOriginCors());
    app.use(noSniff);
    // Query strings of every /api route (bodies are checked once parsed, below).
    app.use('/api', guardInput);
    auth.mount(app);
    app.use(invitationRouter({ invitations, limits, logger }));
    housekeeping.schedule(auth.pruneTask);
    app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
    app.get('/metrics', metricsHandler({ metricsToken: config.metricsToken, authenticate, access }));
    app.get('/readyz', async (_req, res) => {
      try {
        await ping(db);
      } catch {
        res.status(503).json({ status: 'unavailable', reason: 'database' });
        return;
      }
      try {
        await blobStore.checkReady?.();
      } catch (error) {
        res.status(503).json({ status: 'unavailable', reason: 'blob-store', message: (error as Error).message });
        return;
      }
      res.json({ status: 'ready' });
    });
    const uploadLocker = new PgUploadLocker({ connectionString: database.directUrl, logger: logger.child({ component: 'upload-locks' }) });
    const uploadHandler = createUploadHandler({
      prisma: db,
      blobStore,
      uploadDir: config.uploadDir,
      maxUploadBytes: config.maxUploadBytes,
      expireAfterMs: config.uploadExpiryMs,
      logger,
      authenticate,
      // Every api process on this database shares the upload locks.
      locker: uploadLocker,
    });
    stoppers.push(() => uploadLocker.stop());
    // Each api process sees the shared upload folder; one of them cleans it per period.
    housekeeping.schedule({
      name: 'housekeeping-upload-cleanup',
      everyMs: Math.min(Math.max(config.uploadExpiryMs / 10, 1000), 3600_000),
      run: () => uploadHandler.cleanupExpiredUploads(),
    });
    app.use(uploadHandler.router);
    app.use(contentRouter(versions, blobStore, authenticate));
    app.use(derivativeContentRouter(derivatives, blobStore, authenticate));
    app.use(brandContentRouter(new BrandContentService(brandKits, blobStore, config.media.limits), authenticate));
    const publicShares = new PublicSharesService(db, comments, loadSessionSecret(config.auth.sessionSecret, config.dataDir));
    app.use(shareRouter({ shares: publicShares, blobStore, limits, secureCookies: config.publicUrl?.startsWith('https://') ?? false }));
    app.use(libraryDownloadRouter(library, blobStore, authenticate, logger));
    // Built on the first request, not at start: about 50 ms that nobody waits for until they open the reference.
    let openapi: object | undefined;
    app.get('/api/openapi.json', (_req, res) => res.json((openapi ??= buildOpenApiDocument(registry, { oidc: config.auth.oidc !== undefined }))));
    app.use(apiDocsRouter());
    app.use('/api', express.json({ limit: '2mb' }), guardInput);
    app.use(restRouter(registry, authenticate, logger));
    app.use('/admin', dashboardRouter(logger));
    app.use(unknownPath);
    app.use(errorHandler(logger));
    const server = createServer(app);
    answerClientErrors(server);
    const ws = new WsGateway(server, bus, {
      registry,
      tokens,
      clients,
      access,
      logger,
      maxFrameBytes: config.wsMaxFrameBytes,
      helloTimeoutMs: config.wsHelloTimeoutMs,
      pingIntervalMs: config.wsPingIntervalMs,
      limits,
      allowedOrigins: config.auth.wsAllowedOrigins,
    });
    clients.start();
    reportWebSocketConnections(() => ws.connections.size);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    }).catch(async (error: unknown) => {
      // Nothing may outlive a failed start (the embedded PostgreSQL above all).
      for (const stop of stoppers.reverse()) await stop().catch(() => {});
      await database.close().catch(() => {});
      throw error;
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
  await housekeeping.start().catch(async (error: unknown) => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    await database.close().catch(() => {});
    throw error;
  });
  let workerHttp: Stockroom['workerHttp'];
  if (role === 'worker') {
    const listener = await startWorkerHttp({
      port: config.workerHttpPort,
      host: config.host,
      logger,
      metrics: metricsHandler({ metricsToken: config.metricsToken, authenticate: bearerAuthenticator(tokens, access), access }),
      ready: async () => {
        await ping(db);
        await blobStore.checkReady?.();
      },
    });
    workerHttp = { url: listener.url };
    stoppers.push(() => listener.close());
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
    workerHttp,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stoppers.reverse()) await stop().catch((error) => logger.warn({ err: error }, 'error while stopping'));
      await database.close();
    },
  };
}
