import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '@stockroom/shared-types';
import { buildServerBundle } from '../../scripts/build-server.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { makeTempDir, startServerProcess } from '../support/server.ts';

const cleanup: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(7370);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.storageDir.endsWith('/data/blobs')).toBe(true);
    expect(config.maxUploadBytes).toBe(50 * 1024 ** 3);
  });

  it('names the variable and the expected form of every bad value', () => {
    const attempt = () =>
      loadConfig({
        PORT: 'seventy',
        MAX_UPLOAD_SIZE: 'lots',
        DATABASE_URL: 'not a url',
        STOCKROOM_ADMIN_EMAIL: 'nobody',
        UPLOAD_EXPIRY: '3 weeks',
        OUTBOX_RETENTION: 'forever',
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const text = (error as Error).message;
      expect(text).toMatch(/PORT="seventy": expected a port number/);
      expect(text).toMatch(/MAX_UPLOAD_SIZE="lots": expected a size such as 500MB/);
      expect(text).toMatch(/DATABASE_URL="not a url": expected a URL such as postgresql:/);
      expect(text).toMatch(/STOCKROOM_ADMIN_EMAIL="nobody": expected an e-mail address/);
      expect(text).toMatch(/UPLOAD_EXPIRY="3 weeks": expected a duration/);
      expect(text).toMatch(/OUTBOX_RETENTION="forever": expected a duration/);
    }
    expect(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/S3_ACCESS_KEY and S3_SECRET_KEY are required/);
    expect(loadConfig({ MAX_UPLOAD_SIZE: '2GiB', UPLOAD_EXPIRY: '15m', OUTBOX_RETENTION: '7d' })).toMatchObject({
      maxUploadBytes: 2 * 1024 ** 3,
      uploadExpiryMs: 900_000,
      outboxRetentionMs: 7 * 86_400_000,
    });
  });

  it('reads the scale-out settings: a Typesense node list, pool size, upload folder, worker port', () => {
    const config = loadConfig({
      TYPESENSE_URL: 'http://ts-1:8108, http://ts-2:8108,http://ts-3:8108',
      TYPESENSE_API_KEY: 'k',
      DATABASE_POOL_SIZE: '7',
      UPLOAD_DIR: '/shared/uploads',
      WORKER_HTTP_PORT: '9101',
    });
    expect(config).toMatchObject({ databasePoolSize: 7, uploadDir: '/shared/uploads', workerHttpPort: 9101 });
    expect(config.typesense?.url).toEqual(['http://ts-1:8108', 'http://ts-2:8108', 'http://ts-3:8108']);
    expect(() => loadConfig({ TYPESENSE_URL: 'http://ts-1:8108,not a url', TYPESENSE_API_KEY: 'k' })).toThrow(/TYPESENSE_URL=.*expected a URL/);
    expect(() => loadConfig({ DATABASE_POOL_SIZE: 'many' })).toThrow(/DATABASE_POOL_SIZE="many": expected a whole number/);
  });

  it('stops the program with that message and a non-zero exit', async () => {
    await expect(startServerProcess({ PORT: 'seventy' })).rejects.toThrow(/exited with 78[\s\S]*PORT="seventy": expected a port number/);
  });
});

describe('first start', () => {
  it('creates the administrator once, prints its password and token once, and the token works', async () => {
    const db: TestDatabase = await createTestDatabase({ migrate: false });
    const dataDir = makeTempDir('first-start');
    cleanup.push(
      () => db.drop(),
      () => rmSync(dataDir, { recursive: true, force: true }),
    );
    const env = { DATABASE_URL: db.url, STOCKROOM_DATA_DIR: dataDir, PORT: '0' };
    const first = await startServerProcess(env);
    const printed = first.output();
    const token = /API token: (sr_\S+)/.exec(printed)?.[1];
    expect(printed).toMatch(/e-mail: +admin@stockroom\.local/);
    expect(printed).toMatch(/password: +\S{12,}/);
    expect(token).toBeDefined();
    const socket = await RawSocket.open(first.url.replace(/^http/, 'ws') + '/ws');
    const hello = await socket.request('session.hello', { token, client: { app: 'script' }, protocol: PROTOCOL_VERSION });
    expect(hello.result.user.role).toBe('admin');
    socket.close();
    // Secrets are not in the structured logs.
    for (const line of printed.split('\n').filter((l) => l.startsWith('{'))) expect(line).not.toContain(token!);
    await first.kill();

    const second = await startServerProcess(env);
    expect(second.output()).not.toMatch(/API token:/);
    const health = await fetch(`${second.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    await second.kill();
  });

  it('takes the administrator from STOCKROOM_ADMIN_* and prints no secret', async () => {
    const db = await createTestDatabase({ migrate: false });
    const dataDir = makeTempDir('admin-env');
    cleanup.push(
      () => db.drop(),
      () => rmSync(dataDir, { recursive: true, force: true }),
    );
    const token = 'sr_given_admin_token_abcdefghijklmnopqrstuvwxyz012345';
    const server = await startServerProcess({
      DATABASE_URL: db.url,
      STOCKROOM_DATA_DIR: dataDir,
      PORT: '0',
      STOCKROOM_ADMIN_EMAIL: 'Boss@Studio.example',
      STOCKROOM_ADMIN_PASSWORD: 'correct horse battery staple',
      STOCKROOM_ADMIN_TOKEN: token,
    });
    expect(server.output()).toMatch(/e-mail: +boss@studio\.example/);
    expect(server.output()).not.toMatch(/password:|API token:/);
    const socket = await RawSocket.signedIn(server.url.replace(/^http/, 'ws') + '/ws', token);
    expect((await socket.call('session.whoami', {})).user.email).toBe('boss@studio.example');
    socket.close();
    await server.kill();
  });
});

describe('embedded defaults', () => {
  it('runs a real PostgreSQL in the data folder with no configuration, and comes back after a crash', async () => {
    const dataDir = makeTempDir('embedded');
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { STOCKROOM_DATA_DIR: dataDir, PORT: '0', DATABASE_URL: '' };
    const first = await startServerProcess(env);
    expect(first.output()).toMatch(/embedded PostgreSQL is running/);
    const token = /API token: (sr_\S+)/.exec(first.output())![1]!;
    const socket = await RawSocket.signedIn(first.url.replace(/^http/, 'ws') + '/ws', token);
    const collection = await socket.call('collections.create', { name: 'Brand Assets' });
    expect(collection.slug).toBe('brand-assets');
    socket.close();
    await first.kill('SIGKILL'); // its PostgreSQL is orphaned, still running on the data folder

    const second = await startServerProcess(env);
    cleanup.push(() => second.kill());
    const again = await RawSocket.signedIn(second.url.replace(/^http/, 'ws') + '/ws', token);
    const { collections } = await again.call('collections.list', {});
    expect(collections.map((c: any) => c.slug)).toEqual(['brand-assets']);
    again.close();
    await second.kill();
  });

  it('runs the same from the built bundle `./stockroom start` uses: migrations, dashboard, protocol', async () => {
    const dir = makeTempDir('bundle');
    // Inside bridge-server/ (git-ignored dist/), where its external packages resolve.
    const out = path.join(import.meta.dirname, '..', '..', 'dist', `test-${process.pid}`);
    cleanup.push(
      () => rmSync(dir, { recursive: true, force: true }),
      () => rmSync(out, { recursive: true, force: true }),
    );
    const bundle = await buildServerBundle(path.join(out, 'main.mjs'));
    const server = await startServerProcess({ STOCKROOM_DATA_DIR: path.join(dir, 'data'), PORT: '0', DATABASE_URL: '' }, [], { bundle });
    cleanup.push(() => server.kill());
    // Paths the source files compute from their own location still lead to the migrations and the dashboard.
    expect(server.output()).toMatch(/applied migration \d+_init/);
    expect(server.output()).toMatch(/applied migration \d+_outbox_notify_trigger/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const dashboard = await fetch(`${server.url}/admin/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toMatch(/<div id="root">/);
    const token = /API token: (sr_\S+)/.exec(server.output())![1]!;
    const socket = await RawSocket.signedIn(server.url.replace(/^http/, 'ws') + '/ws', token);
    const collection = await socket.call('collections.create', { name: 'From the bundle' });
    expect(collection.slug).toBe('from-the-bundle');
    socket.close();
    await server.kill();
  });
});
