// The heavy proof for resumable uploads: a 1 GiB file through the real `stockroom`
// program, cut halfway once by killing the client and once by killing the server
// with SIGKILL. Each time the upload resumes from the stored offset, ends with the
// right SHA-256, the server's memory stays flat, and no version can be made from
// bytes that are not all there.
import { spawn, type ChildProcess } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { createPrismaClient, findFreePort, type PrismaClient } from '@stockroom/prisma';
import { UPLOAD_PATH, uploadIdFromUrl } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { ADMIN_TOKEN, makeTempDir, startServerProcess, type ServerProcess } from './support/server.ts';

// LARGE_UPLOAD_BYTES makes a quick run with a smaller file; DEBUG_LARGE_UPLOAD prints the server's log.
const SIZE = Number(process.env.LARGE_UPLOAD_BYTES ?? 1024 ** 3);
const CHUNK = 8 * 1024 * 1024;
const HALF = SIZE / 2;
const RSS_LIMIT = 100 * 1024 * 1024;

let database: TestDatabase;
let prisma: PrismaClient;
let workDir: string;
let dataDir: string;
let file: string;
let sha256: string;
let port: number;
let server: ServerProcess | undefined;
/** Highest RSS growth above its own start seen in any server process. */
let worstRssGrowth = 0;
let sampler: NodeJS.Timeout | undefined;

/** 1 GiB of deterministic pseudo-random bytes (AES-128-CTR over zeros, fixed key), hashed as written. */
async function generate(target: string): Promise<string> {
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0));
  const hash = createHash('sha256');
  const out = createWriteStream(target);
  const zeros = Buffer.alloc(CHUNK);
  for (let written = 0; written < SIZE; written += CHUNK) {
    const chunk = cipher.update(zeros);
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return hash.digest('hex');
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function startServer(): Promise<ServerProcess> {
  const started = await startServerProcess({
    DATABASE_URL: database.url,
    STOCKROOM_DATA_DIR: dataDir,
    PORT: String(port),
    STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  const pid = started.child.pid!;
  const baseline = rssOf(pid);
  clearInterval(sampler);
  sampler = setInterval(() => {
    try {
      worstRssGrowth = Math.max(worstRssGrowth, rssOf(pid) - baseline);
    } catch {
      // the process just died
    }
  }, 100);
  return started;
}

interface ClientEvent {
  event: 'created' | 'progress' | 'success' | 'error';
  url?: string;
  bytes?: number;
  sent?: number;
  message?: string;
}

function startClient(endpoint: string, uploadUrl?: string) {
  const script = path.join(import.meta.dirname, 'support', 'tus-client-process.ts');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, endpoint, ADMIN_TOKEN, file, sha256, ...(uploadUrl ? [uploadUrl] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: ClientEvent[] = [];
  const waiters: Array<() => void> = [];
  let buffered = '';
  child.stdout!.on('data', (data: Buffer) => {
    buffered += data.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buffered.slice(0, newline)) as ClientEvent);
      buffered = buffered.slice(newline + 1);
      for (const wake of waiters.splice(0)) wake();
    }
  });
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  child.on('exit', () => {
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (test: (event: ClientEvent) => boolean, timeoutMs = 120_000): Promise<ClientEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(test);
      if (found) return found;
      const failed = events.find((event) => event.event === 'error');
      if (failed) throw new Error(`client failed: ${failed.message}`);
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`client exited: ${stderr}`);
      if (Date.now() > deadline) throw new Error('client timed out');
      await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), delay(1000)]);
    }
  };
  return {
    child,
    until,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

const api = (pathname: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${port}${pathname}`, {
    ...init,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string>) },
  });

async function serverOffset(uploadUrl: string): Promise<number> {
  const response = await fetch(uploadUrl, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${ADMIN_TOKEN}` } });
  expect(response.status).toBe(200);
  return Number(response.headers.get('upload-offset'));
}

/** Creating an asset from the unfinished upload must be refused: no version over partial bytes. */
async function expectNoVersionFromPartialUpload(uploadId: string): Promise<void> {
  const response = await api('/api/assets', { method: 'POST', body: JSON.stringify({ uploadId, name: 'partial' }) });
  expect(response.status).toBe(409);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UPLOAD_INCOMPLETE');
  expect(await prisma.version.count()).toBe(0);
}

/** The finished upload becomes version 1, and its bytes download whole and exact. */
async function expectStoredAndUsable(uploadId: string): Promise<void> {
  const row = await prisma.upload.findUniqueOrThrow({ where: { id: uploadId } });
  expect(row.status).toBe('complete');
  expect(row.blobSha256).toBe(sha256);
  const created = await api('/api/assets', { method: 'POST', body: JSON.stringify({ uploadId, name: `large ${uploadId.slice(0, 6)}` }) });
  expect(created.status).toBe(201);
  const asset = (await created.json()) as { id: string };
  const head = await api(`/api/assets/${asset.id}/versions/1/content`, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(head.headers.get('etag')).toBe(`"${sha256}"`);
  expect(head.headers.get('content-length')).toBe(String(SIZE));
  // The last MiB, compared with the source file.
  const tail = await api(`/api/assets/${asset.id}/versions/1/content`, { headers: { Range: `bytes=${SIZE - 1024 * 1024}-` } });
  expect(tail.status).toBe(206);
  const expected = Buffer.alloc(1024 * 1024);
  const handle = await open(file, 'r');
  await handle.read(expected, 0, expected.length, SIZE - expected.length);
  await handle.close();
  expect(Buffer.from(await tail.arrayBuffer()).equals(expected)).toBe(true);
}

beforeAll(async () => {
  database = await createTestDatabase();
  prisma = createPrismaClient(database.url, { max: 2 });
  workDir = makeTempDir('large-upload');
  dataDir = path.join(workDir, 'data');
  file = path.join(workDir, 'one-gib.bin');
  port = await findFreePort();
  [sha256, server] = await Promise.all([generate(file), startServer()]);
}, 180_000);

afterAll(async () => {
  if (process.env.DEBUG_LARGE_UPLOAD) console.log(server?.output());
  clearInterval(sampler);
  await server?.kill('SIGTERM');
  await prisma?.$disconnect();
  await database?.drop();
  await rm(workDir, { recursive: true, force: true });
});

describe('a 1 GiB upload cut halfway', { timeout: 180_000 }, () => {
  const endpoint = () => `http://127.0.0.1:${port}${UPLOAD_PATH}`;

  it('resumes after the client is killed, from the offset the server kept', async () => {
    const first = startClient(endpoint());
    const { url } = await first.until((e) => e.event === 'created');
    await first.until((e) => e.event === 'progress' && e.bytes! >= HALF);
    await first.kill();
    const uploadId = uploadIdFromUrl(url!);

    // The server keeps what reached it; give the aborted request a moment to settle.
    let offset = 0;
    for (let i = 0; i < 50; i++) {
      offset = await serverOffset(url!);
      if (offset > 0) break;
      await delay(100);
    }
    expect(offset).toBeGreaterThan(HALF / 2);
    expect(offset).toBeLessThan(SIZE);
    await expectNoVersionFromPartialUpload(uploadId);

    const second = startClient(endpoint(), url);
    const done = await second.until((e) => e.event === 'success');
    // Only the missing bytes crossed the wire the second time.
    expect(done.sent).toBe(SIZE - offset);
    await expectStoredAndUsable(uploadId);
    expect(worstRssGrowth).toBeLessThan(RSS_LIMIT);
  });

  it('resumes after the server is killed with SIGKILL and started again', async () => {
    await prisma.version.deleteMany();
    await prisma.lock.deleteMany();
    await prisma.asset.deleteMany();
    // Same content as the first test: drop its blob so this upload stores it afresh.
    await rm(path.join(dataDir, 'blobs'), { recursive: true, force: true });
    await prisma.upload.deleteMany();
    await prisma.blob.deleteMany();
    const client = startClient(endpoint());
    const { url } = await client.until((e) => e.event === 'created');
    await client.until((e) => e.event === 'progress' && e.bytes! >= HALF);
    await server!.kill('SIGKILL');
    const uploadId = uploadIdFromUrl(url!);
    const onDisk = (await stat(path.join(dataDir, 'uploads', uploadId))).size;
    expect(onDisk).toBeGreaterThan(0);
    expect(onDisk).toBeLessThan(SIZE);
    expect(await prisma.version.count()).toBe(0);

    // The client keeps retrying; the server comes back on the same port and data folder.
    server = await startServer();
    const done = await client.until((e) => e.event === 'success');
    // It resumed from the bytes the dead server had written, not from zero.
    expect(done.sent).toBe(SIZE - onDisk);
    await expectStoredAndUsable(uploadId);
    expect(worstRssGrowth).toBeLessThan(RSS_LIMIT);
    console.info(`server RSS grew by at most ${(worstRssGrowth / 1024 / 1024).toFixed(1)} MiB during the 1 GiB uploads`);
  });
});
