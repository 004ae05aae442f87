// UploadsService.consume: who may take an upload's bytes, when, and how often.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/services/actor.ts';
import { UploadsService } from '../src/services/uploads.ts';
import { receivedBytesIn } from '../src/uploads/index.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';

let database: TestDatabase;
let prisma: PrismaClient;
let uploadDir: string;
let service: UploadsService;
let owner: Actor;
let stranger: Actor;
let counter = 0;

const actorOf = (user: { id: string; name: string; email: string }): Actor => ({
  user: { ...user, role: 'member' },
  clientApp: 'script',
});

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 4 });
  uploadDir = await mkdtemp(path.join(os.tmpdir(), 'uploads-service-'));
  service = new UploadsService(prisma, receivedBytesIn(uploadDir));
  owner = actorOf(await prisma.user.create({ data: { email: 'owner@example.test', name: 'Owner' } }));
  stranger = actorOf(await prisma.user.create({ data: { email: 'stranger@example.test', name: 'Stranger' } }));
});

afterAll(async () => {
  await prisma?.$disconnect();
  await database?.drop();
  await rm(uploadDir, { recursive: true, force: true });
});

async function upload(status: 'pending' | 'complete' | 'failed', extra: { failure?: string } = {}): Promise<string> {
  counter += 1;
  const id = `u${counter.toString().padStart(31, '0')}`;
  const sha256 = counter.toString(16).padStart(64, '0');
  if (status === 'complete') await prisma.blob.create({ data: { sha256, size: 1000n, storageKey: `k/${sha256}` } });
  await prisma.upload.create({
    data: {
      id,
      userId: owner.user.id,
      size: 1000n,
      declaredSha256: sha256,
      fileName: 'logo.svg',
      mimeType: 'image/svg+xml',
      status,
      failure: extra.failure ?? null,
      blobSha256: status === 'complete' ? sha256 : null,
    },
  });
  return id;
}

describe('UploadsService', () => {
  it('hands a finished upload to its owner once; a second use is a CONFLICT', async () => {
    const id = await upload('complete');
    const taken = await prisma.$transaction((tx) => service.consume(tx, id, owner));
    expect(taken).toMatchObject({ size: 1000, fileName: 'logo.svg', mimeType: 'image/svg+xml' });
    expect(taken.blobSha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(prisma.$transaction((tx) => service.consume(tx, id, owner))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('leaves the upload usable when the caller’s transaction rolls back', async () => {
    const id = await upload('complete');
    await expect(
      prisma.$transaction(async (tx) => {
        await service.consume(tx, id, owner);
        throw new Error('check-in failed later');
      }),
    ).rejects.toThrow('check-in failed later');
    await expect(prisma.$transaction((tx) => service.consume(tx, id, owner))).resolves.toMatchObject({ size: 1000 });
  });

  it('refuses an unfinished upload, saying how many bytes arrived and to resume', async () => {
    const id = await upload('pending');
    await writeFile(path.join(uploadDir, id), Buffer.alloc(400));
    const error = await prisma.$transaction((tx) => service.consume(tx, id, owner)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    expect((error as Error).message).toContain('400 of 1000 bytes');
    expect((error as Error).message).toMatch(/resume/i);
  });

  it('refuses a failed upload with its reason', async () => {
    const id = await upload('failed', { failure: 'the bytes received have SHA-256 abc, not the declared def' });
    const error = await prisma.$transaction((tx) => service.consume(tx, id, owner)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPLOAD_INCOMPLETE' });
    expect((error as Error).message).toContain('not the declared def');
  });

  it('answers NOT_FOUND for an unknown id and for another user’s upload alike', async () => {
    const id = await upload('complete');
    await expect(prisma.$transaction((tx) => service.consume(tx, id, stranger))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(prisma.$transaction((tx) => service.consume(tx, 'no-such-upload', owner))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.get(id, stranger)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.get(id, owner)).resolves.toMatchObject({ id, status: 'complete', fileName: 'logo.svg' });
  });
});
