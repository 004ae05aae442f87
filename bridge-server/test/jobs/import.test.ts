import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from '@stockroom/prisma';
import { listFiles } from '../../src/cli/import-tree.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { makeTempDir } from '../support/server.ts';

const IMPORT = path.join(import.meta.dirname, '..', '..', 'src', 'cli', 'import.ts');
const FOLDERS = ['Logos', 'Photos', 'Photos/Beach', 'Icons', 'Print'];
const FILES = 500;

let database: TestDatabase;
let db: PrismaClient;
let dataDir: string;
let tree: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrismaClient(database.url);
  dataDir = makeTempDir('import-data');
  tree = makeTempDir('import-tree');
  // 500 small, all different pictures in nested folders (plus a hidden file that is left alone).
  for (const folder of FOLDERS) mkdirSync(path.join(tree, folder), { recursive: true });
  await Promise.all(
    Array.from({ length: FILES }, (_, i) =>
      sharp({ create: { width: 8, height: 8, channels: 3, background: { r: i % 256, g: Math.floor(i / 256), b: 77 } } })
        .png()
        .toFile(path.join(tree, FOLDERS[i % FOLDERS.length]!, `file-${String(i).padStart(3, '0')}.png`)),
    ),
  );
  mkdirSync(path.join(tree, '.cache'));
  await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } })
    .png()
    .toFile(path.join(tree, '.cache', 'ignored.png'));
});

afterAll(async () => {
  await db?.$disconnect();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(tree, { recursive: true, force: true });
});

function runImport(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', IMPORT, tree, '--json', ...args], {
    env: { ...process.env, DATABASE_URL: database.url, STOCKROOM_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

describe('bulk import', () => {
  it('imports a 500-file tree into sub-collections; killed midway and run again, every file ends up imported once', async () => {
    expect(await listFiles(tree)).toHaveLength(FILES);

    const first = runImport(['--folders', 'collections', '--concurrency', '4']);
    // Kill it hard once a good part is in, as a crash or a closed laptop would.
    for (;;) {
      const count = await db.asset.count();
      if (count >= 120) break;
      if (first.child.exitCode !== null) throw new Error(`import ended early: ${JSON.stringify(first.output())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const afterKill = await db.asset.count();
    expect(afterKill).toBeGreaterThanOrEqual(120);
    expect(afterKill).toBeLessThan(FILES);

    const second = runImport(['--folders', 'collections', '--concurrency', '4']);
    const code = await second.exited;
    const { stdout, stderr } = second.output();
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { total: number; imported: number; skipped: number; failed: unknown[] };
    expect(summary.total).toBe(FILES);
    expect(summary.failed).toEqual([]);
    expect(summary.skipped).toBe(afterKill);
    expect(summary.imported).toBe(FILES - afterKill);

    // Each file exactly once, in the collection named after its folder.
    const versions = await db.version.findMany({ include: { asset: { include: { collection: true } } } });
    expect(versions).toHaveLength(FILES);
    const bySha = new Map(versions.map((v) => [v.blobSha256, v]));
    expect(bySha.size).toBe(FILES);
    for (const file of await listFiles(tree)) {
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      const version = bySha.get(sha);
      expect(version, file).toBeDefined();
      expect(version!.asset.collection?.name).toBe(path.basename(path.dirname(file)));
    }
    // One collection per folder, even with parallel files and two runs; Beach sits inside Photos.
    const collections = await db.collection.findMany({ include: { parent: true } });
    expect(collections.map((c) => c.name).sort()).toEqual(['Beach', 'Icons', 'Logos', 'Photos', 'Print']);
    expect(collections.find((c) => c.name === 'Beach')!.parent?.name).toBe('Photos');
    // Every imported version planned its derivatives in the same transaction.
    expect(await db.derivative.count()).toBe(FILES * 2);

    // A third run finds nothing to do.
    const third = runImport(['--folders', 'collections']);
    expect(await third.exited).toBe(0);
    expect(JSON.parse(third.output().stdout.trim())).toMatchObject({ imported: 0, skipped: FILES });
  }, 240_000);

  it('turns folders into tags when asked', async () => {
    const small = makeTempDir('import-tags');
    mkdirSync(path.join(small, 'Brand', 'Logos'), { recursive: true });
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#123456' } })
      .png()
      .toFile(path.join(small, 'Brand', 'Logos', 'mark.png'));
    const child = spawn(process.execPath, ['--import', 'tsx', IMPORT, small, '--json', '--folders', 'tags'], {
      env: { ...process.env, DATABASE_URL: database.url, STOCKROOM_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ imported: 1, skipped: 0 });
    const asset = await db.asset.findFirstOrThrow({ where: { name: { contains: 'mark' } } });
    expect(asset.tags).toEqual(['brand', 'logos']);
    expect(asset.collectionId).toBeNull();
    rmSync(small, { recursive: true, force: true });
  }, 60_000);
});
