// Behind PgBouncer: a real PgBouncer (Debian's package, installed by scripts/setup.sh) in
// transaction mode in front of the test PostgreSQL, an api process and a worker process with
// DATABASE_URL through it and DATABASE_DIRECT_URL to the server itself, for what transaction
// pooling does not keep (LISTEN, session advisory locks, migrations, the job queue's listener).
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import sharp from 'sharp';
import { findFreePort } from '@stockroom/prisma';
import { UPLOAD_PATH, uploadIdFromUrl } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directConnectionBudget } from '../../src/adapters/connection-budget.ts';
import { EVENT_BUS_APPLICATION_NAME } from '../../src/adapters/event-bus.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { ADMIN_TOKEN, makeTempDir, startServerProcess, type ServerProcess } from '../support/server.ts';
import { tusMetadata } from '../support/upload-harness.ts';

let database: TestDatabase;
let bouncer: ChildProcess;
let bouncerOutput = '';
let bouncerUrl: string;
let api: ServerProcess;
let worker: ServerProcess;
let direct: pg.Client;
const dirs: string[] = [];

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const tusHeaders = { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Runs a statement on PgBouncer's admin console (SHOW POOLS, SHOW SERVERS, ...). */
async function adminConsole(statement: string): Promise<Array<Record<string, unknown>>> {
  const url = new URL(bouncerUrl);
  url.pathname = '/pgbouncer';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    // The console speaks only the simple query protocol.
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(200);
  }
}

async function startPgBouncer(serverUrl: string): Promise<string> {
  const server = new URL(serverUrl);
  const name = server.pathname.slice(1);
  const port = await findFreePort();
  const dir = makeTempDir('pgbouncer');
  dirs.push(dir);
  const ini = path.join(dir, 'pgbouncer.ini');
  // auth_type = any: clients are not asked for a password; PgBouncer logs in to the server
  // with the credentials of the [databases] entry (the test cluster's own).
  writeFileSync(
    ini,
    [
      '[databases]',
      `${name} = host=${server.hostname} port=${server.port} dbname=${name} user=${decodeURIComponent(server.username)} password=${decodeURIComponent(server.password)}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      'default_pool_size = 8',
      'max_client_conn = 200',
      'server_reset_query =',
      'ignore_startup_parameters = extra_float_digits',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asRoot = process.getuid?.() === 0 ? ['-u', 'postgres'] : [];
  // Debian installs it in /usr/sbin, which a non-root PATH may lack.
  const binary = existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer';
  bouncer = spawn(binary, [...asRoot, ini], { stdio: ['ignore', 'pipe', 'pipe'] });
  bouncer.stdout!.on('data', (d) => (bouncerOutput += d));
  bouncer.stderr!.on('data', (d) => (bouncerOutput += d));
  const failed = new Promise<never>((_, reject) => {
    bouncer.once('error', (error) => reject(new Error(`PgBouncer could not start (${error.message}): run ./stockroom setup, which installs it.`)));
    bouncer.once('exit', (code) => reject(new Error(`PgBouncer exited with ${code}:\n${bouncerOutput}`)));
  });
  failed.catch(() => {});
  const url = `postgresql://stockroom@127.0.0.1:${port}/${name}`;
  await Promise.race([
    failed,
    until('PgBouncer to answer', async () => {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } catch {
        return undefined;
      } finally {
        await client.end().catch(() => {});
      }
    }),
  ]);
  return url;
}

beforeAll(async () => {
  database = await createTestDatabase();
  bouncerUrl = await startPgBouncer(database.url);
  const shared = makeTempDir('pgbouncer-shared');
  dirs.push(shared);
  const env = (role: string) => {
    const dir = makeTempDir(`pgbouncer-${role}`);
    dirs.push(dir);
    return {
      DATABASE_URL: bouncerUrl,
      DATABASE_DIRECT_URL: database.url,
      STOCKROOM_DATA_DIR: dir,
      STORAGE_DIR: path.join(shared, 'blobs'),
      UPLOAD_DIR: path.join(shared, 'uploads'),
      STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
      WORKER_CONCURRENCY: '1',
      WORKER_HTTP_PORT: '0',
      PORT: '0',
    };
  };
  api = await startServerProcess(env('api'), ['--role', 'api']);
  worker = await startServerProcess(env('worker'), ['--role', 'worker']);
  direct = new pg.Client({ connectionString: database.url });
  await direct.connect();
}, 180_000);

afterAll(async () => {
  await direct?.end();
  await Promise.all([api, worker].filter(Boolean).map((p) => p.kill()));
  if (bouncer && bouncer.exitCode === null) {
    const exited = new Promise((resolve) => bouncer.once('exit', resolve));
    bouncer.kill('SIGTERM');
    await exited;
  }
  await database?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('api and worker behind PgBouncer in transaction mode, LISTEN direct', () => {
  it('uploads, checks in, delivers the events to a subscribed client and makes the derivatives', async () => {
    const before = await adminConsole('SHOW STATS');
    const transactionsBefore = Number(before.find((row) => row.database === database.name)?.total_xact_count ?? 0);
    const wsUrl = `${api.url.replace(/^http/, 'ws')}/ws`;
    const editor = await RawSocket.signedIn(wsUrl, ADMIN_TOKEN, 'photoshop');
    const watcher = await RawSocket.signedIn(wsUrl, ADMIN_TOKEN, 'figma');
    await watcher.call('events.subscribe', {});

    const upload = async (image: Buffer, filename: string): Promise<string> => {
      const created = await fetch(`${api.url}${UPLOAD_PATH}`, {
        method: 'POST',
        headers: {
          ...tusHeaders,
          'Upload-Length': String(image.length),
          'Upload-Metadata': tusMetadata({ sha256: sha256(image), filename, filetype: 'image/png' }),
        },
      });
      expect(created.status).toBe(201);
      const id = uploadIdFromUrl(created.headers.get('location')!);
      const patched = await fetch(`${api.url}${UPLOAD_PATH}/${id}`, {
        method: 'PATCH',
        headers: { ...tusHeaders, 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
        body: image,
      });
      expect(patched.status).toBe(204);
      return id;
    };
    const png = (r: number) =>
      sharp({ create: { width: 640, height: 480, channels: 3, background: { r, g: 80, b: 160 } } })
        .png()
        .toBuffer();

    const asset = await editor.call('assets.create', { uploadId: await upload(await png(20), 'board.png'), name: 'Board' });
    await watcher.event('asset.created', (d) => d.asset?.id === asset.id);
    await editor.call('assets.checkout', { id: asset.id });
    await watcher.event('asset.locked', (d) => d.assetId === asset.id);
    const second = await png(200);
    const checkedIn = await editor.call('assets.checkin', { id: asset.id, uploadId: await upload(second, 'board-v2.png'), baseVersion: 1, comment: 'warmer' });
    expect(checkedIn.version.number).toBe(2);
    const created = await watcher.event('version.created', (d) => d.assetId === asset.id && d.version.number === 2);
    expect(created.data.version.sha256).toBe(sha256(second));

    // The worker (its queue LISTENs on the server itself) makes version 2's thumbnail.
    const ready = await watcher.event(
      'derivative.ready',
      (d) => d.assetId === asset.id && d.derivative.preset === 'thumbnail' && d.derivative.versionNumber === 2,
      90_000,
    );
    const thumb = await fetch(`${api.url}${ready.data.derivative.contentUrl}`, { headers: tusHeaders });
    expect(thumb.status).toBe(200);
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBeGreaterThan(0);
    editor.close();
    watcher.close();

    // All of that ran its transactions through PgBouncer, in transaction mode.
    const pools = await adminConsole('SHOW POOLS');
    expect(pools.find((row) => row.database === database.name)?.pool_mode).toBe('transaction');
    const after = await adminConsole('SHOW STATS');
    const transactions = Number(after.find((row) => row.database === database.name)?.total_xact_count ?? 0) - transactionsBefore;
    expect(transactions).toBeGreaterThan(20);
  }, 180_000);

  it('keeps LISTEN and the upload locks on direct connections, everything else behind PgBouncer', async () => {
    const viaBouncer = new Set((await adminConsole('SHOW SERVERS')).map((row) => Number(row.remote_pid)));
    const { rows } = await direct.query<{ pid: number; application_name: string; query: string }>(
      'SELECT pid, application_name, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const listening = rows.filter((row) => /^\s*LISTEN\b/i.test(row.query) || row.application_name === EVENT_BUS_APPLICATION_NAME);
    expect(rows.filter((row) => row.application_name === EVENT_BUS_APPLICATION_NAME)).toHaveLength(1);
    expect(rows.filter((row) => row.application_name === 'stockroom-upload-locks')).toHaveLength(1);
    for (const row of [...listening, ...rows.filter((r) => r.application_name === 'stockroom-upload-locks')]) {
      expect(viaBouncer.has(row.pid), `${row.application_name || row.query} must not go through PgBouncer`).toBe(false);
    }
    // PgBouncer holds server connections of its own (the main pools), at most its pool size;
    // the processes' direct connections stay within the documented direct budget.
    expect(viaBouncer.size).toBeGreaterThan(0);
    expect(viaBouncer.size).toBeLessThanOrEqual(8);
    expect(rows.filter((row) => viaBouncer.has(row.pid)).length).toBe(viaBouncer.size);
    const directOnes = rows.filter((row) => !viaBouncer.has(row.pid));
    expect(directOnes.length).toBeGreaterThanOrEqual(3);
    expect(directOnes.length).toBeLessThanOrEqual(directConnectionBudget('api') + directConnectionBudget('worker'));
  });

  it('tells the operator which setting is missing when DATABASE_DIRECT_URL comes without DATABASE_URL', async () => {
    const { loadConfig, ConfigError } = await import('../../src/config.ts');
    expect(() => loadConfig({ DATABASE_DIRECT_URL: database.url })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_DIRECT_URL: database.url })).toThrow(/DATABASE_URL is required/);
    expect(loadConfig({ DATABASE_URL: bouncerUrl, DATABASE_DIRECT_URL: database.url }).databaseDirectUrl).toBe(database.url);
  });
});
