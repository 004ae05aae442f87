import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import pino from 'pino';
import { StockroomError, UPLOAD_ERROR_HEADER, UPLOAD_PATH, type ErrorBody } from '@stockroom/shared-types';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import type { BlobStore } from '../../src/ports/blob-store.ts';
import type { Actor } from '../../src/services/actor.ts';
import { createUploadHandler, type UploadHandler } from '../../src/uploads/index.ts';
import { PgUploadLocker } from '../../src/adapters/upload-locker.ts';
import { DiskBlobStore } from '../../src/adapters/blob-store/disk.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Test tokens are `user:<id>`: the upload endpoint only needs *some* authenticate function. */
export function tokenFor(userId: string): string {
  return `user:${userId}`;
}

export function testAuthenticate(prisma: PrismaClient) {
  return async (req: IncomingMessage): Promise<Actor> => {
    const match = /^Bearer user:(\S+)$/.exec(req.headers.authorization ?? '');
    const user = match ? await prisma.user.findUnique({ where: { id: match[1] } }) : null;
    if (!user) throw new StockroomError('UNAUTHENTICATED', 'Send your API token in an "Authorization: Bearer <token>" header.');
    return { user: { id: user.id, name: user.name, email: user.email, role: user.role }, clientApp: 'script' };
  };
}

export interface UploadApp {
  url: string;
  endpoint: string;
  handler: UploadHandler;
  close(): Promise<void>;
}

/** An express app with only the upload endpoint, on a real loopback socket. */
export async function startUploadApp(options: {
  prisma: PrismaClient;
  blobStore: BlobStore;
  uploadDir: string;
  maxUploadBytes?: number;
  expireAfterMs?: number;
  /** With a database URL the upload locks are Postgres advisory locks, as in the server. */
  databaseUrl?: string;
  lockDrainTimeoutMs?: number;
}): Promise<UploadApp> {
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const locker = options.databaseUrl ? new PgUploadLocker({ connectionString: options.databaseUrl, logger, acquireTimeoutMs: 10_000 }) : undefined;
  const handler = createUploadHandler({
    prisma: options.prisma,
    blobStore: options.blobStore,
    uploadDir: options.uploadDir,
    maxUploadBytes: options.maxUploadBytes ?? 64 * 1024 * 1024,
    expireAfterMs: options.expireAfterMs ?? 3600_000,
    logger,
    authenticate: testAuthenticate(options.prisma),
    locker,
    lockDrainTimeoutMs: options.lockDrainTimeoutMs,
  });
  const app = express();
  app.use(handler.router);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    endpoint: `${url}${UPLOAD_PATH}`,
    handler,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await locker?.stop();
    },
  };
}

export function tusMetadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/**
 * Reads the error both ways a client can: the Stockroom-Error header and the JSON
 * body (absent on HEAD); when both are there they must agree.
 */
export async function errorOf(response: Response): Promise<ErrorBody> {
  const header = response.headers.get(UPLOAD_ERROR_HEADER);
  if (!header) throw new Error(`no ${UPLOAD_ERROR_HEADER} header on HTTP ${response.status}`);
  const fromHeader = JSON.parse(header) as ErrorBody;
  const text = await response.text();
  if (text === '') return fromHeader;
  // The body has the one error shape of every HTTP answer: {"error":{code,message,data}}.
  const body = (JSON.parse(text) as { error: ErrorBody }).error;
  if (fromHeader.code !== body.code || fromHeader.message !== body.message) throw new Error('header and body disagree');
  return body;
}

/**
 * What every upload test starts from: a database of its own, an upload folder and a disk
 * blob store under one temporary folder, and one person. `appOptions` starts an endpoint
 * over them with the database's advisory locks, as in the server.
 */
export interface UploadBed {
  database: TestDatabase;
  prisma: PrismaClient;
  root: string;
  uploadDir: string;
  blobStore: DiskBlobStore;
  user: { id: string; name: string; email: string };
  appOptions: { prisma: PrismaClient; blobStore: DiskBlobStore; uploadDir: string; databaseUrl: string };
  close(): Promise<void>;
}

export async function createUploadBed(name: string): Promise<UploadBed> {
  const database = await createTestDatabase();
  const prisma = createPrismaClient(database.url, { max: 4 });
  const root = await mkdtemp(path.join(os.tmpdir(), `${name}-`));
  const uploadDir = path.join(root, 'uploads');
  await mkdir(uploadDir, { recursive: true });
  const blobStore = new DiskBlobStore(path.join(root, 'blobs'));
  const user = await prisma.user.create({ data: { email: `${name}@example.test`, name }, select: { id: true, name: true, email: true } });
  return {
    database,
    prisma,
    root,
    uploadDir,
    blobStore,
    user,
    appOptions: { prisma, blobStore, uploadDir, databaseUrl: database.url },
    async close() {
      await prisma.$disconnect();
      await database.drop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
