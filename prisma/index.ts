export * from './generated/client.ts';
export { createDatabaseClients, createPrismaClient, type DatabaseClients } from './src/client.ts';
export { applyMigrations, listMigrations, MIGRATIONS_DIR } from './src/migrate.ts';
export { startEmbeddedPostgres, findFreePort, type EmbeddedPostgresHandle } from './src/embedded-postgres.ts';
