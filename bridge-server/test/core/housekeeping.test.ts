// Cluster-wide maintenance runs through the job queue: one job per period in the whole
// cluster however many processes declare a task (pg-boss's schedules for whole minutes,
// throttled sends below), the job of a process that died mid-run is run by another, each
// task only by processes that can do it, and the client sessions of a crashed process are removed.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createDatabaseClients } from '@stockroom/prisma';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startStockroom, type Stockroom } from '../../src/index.ts';
import { createLogger } from '../../src/logger.ts';
import type { HousekeepingTask } from '../../src/services/housekeeping.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startHousekeeper, type Housekeeper } from '../support/housekeeper.ts';
import { RawSocket } from '../support/raw-ws.ts';
import { ADMIN_TOKEN, makeTempDir, startTestServer, type TestServer } from '../support/server.ts';

type Job = HousekeepingTask['name'];
interface JobRow {
  id: string;
  state: string;
  /** Start of the period's slot, ms since the epoch. */
  slot: number;
  retries: number;
}

let database: TestDatabase;
const keepers: Housekeeper[] = [];
const cleanups: Array<() => Promise<void>> = [];

async function jobsOf(url: string, name: Job): Promise<JobRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<JobRow>(
      `SELECT id, state, (extract(epoch FROM singleton_on) * 1000)::float8 AS slot, retry_count AS retries
         FROM pgboss.job WHERE name = $1 ORDER BY singleton_on`,
      [name],
    );
    return rows;
  } finally {
    await client.end();
  }
}

async function until<T>(what: string | (() => string), probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await delay(200);
  }
}

/** Each period's slot holds one job, every job ran (or, last, still waits), and none ran twice. */
function expectOnePerSlot(jobs: JobRow[], runs: number, slotMs: number): void {
  expect(new Set(jobs.map((j) => j.slot)).size).toBe(jobs.length);
  for (const job of jobs) expect(job.slot % slotMs).toBe(0);
  const done = jobs.filter((j) => j.state === 'completed');
  expect(done).toHaveLength(runs);
  expect(jobs.filter((j) => j.state !== 'completed').every((j) => j.state === 'created')).toBe(true);
}

// The whole-minute task needs a minute boundary to pass, so its two housekeepers start first
// and the other tests run meanwhile; the last test reads what they did.
const minuteTask: Job = 'housekeeping-outbox-prune';
const minuteRuns: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  keepers.push(
    ...(await Promise.all(
      ['a', 'b'].map((who) => startHousekeeper(database.url, [{ name: minuteTask, everyMs: 60_000, run: async () => void minuteRuns.push(who) }])),
    )),
  );
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  await Promise.all(keepers.map((k) => k.stop().catch(() => {})));
  await database?.drop();
});

describe('housekeeping once per cluster, through the job queue', () => {
  it('runs a task once per period however many processes declare it (a period below a minute: throttled sends)', async () => {
    const name: Job = 'housekeeping-trash-purge';
    const runs: string[] = [];
    const two = await Promise.all(['a', 'b'].map((who) => startHousekeeper(database.url, [{ name, everyMs: 2000, run: async () => void runs.push(who) }])));
    try {
      await until('four periods to run', async () => runs.length >= 4);
    } finally {
      // Stopping waits for a running task, so every run below is recorded and completed.
      await Promise.all(two.map((k) => k.stop()));
    }
    const jobs = await jobsOf(database.url, name);
    expectOnePerSlot(jobs, runs.length, 2000);
    // Both processes sent each period's job; a process running it on its own would have run it about twice per slot.
    const span = jobs.at(-1)!.slot - jobs[0]!.slot;
    expect(runs.length).toBeLessThanOrEqual(span / 2000 + 1);
    expect(jobs.every((j) => j.retries === 0)).toBe(true);
  });

  it('runs the job of a process that died mid-run on another process', async () => {
    const name: Job = 'housekeeping-auth-prune';
    const script = path.join(import.meta.dirname, '..', 'support', 'housekeeping-process.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, database.url, name, '60000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    cleanups.push(async () => void child.kill('SIGKILL'));
    await until(
      () => `the other process to start the task:\n${output}`,
      async () => output.includes('running'),
      60_000,
    );
    const held = (await jobsOf(database.url, name)).find((j) => j.state === 'active');
    expect(held).toMatchObject({ retries: 0 });
    child.kill('SIGKILL');
    await exited;

    const runs: number[] = [];
    keepers.push(await startHousekeeper(database.url, [{ name, everyMs: 60_000, run: async () => void runs.push(Date.now()) }]));
    // Its heartbeat stops; after JOB_HEARTBEAT_SECONDS (10 here) the job is failed and retried here.
    const done = await until(
      'the survivor to run the dead process’s job',
      async () => (await jobsOf(database.url, name)).find((j) => j.id === held!.id && j.state === 'completed'),
      60_000,
    );
    expect(done.retries).toBe(1);
    expect(runs.length).toBeGreaterThanOrEqual(1);
  });

  it('gives each task to the processes that can do it, and removes the client sessions of a crashed process', async () => {
    const own = await createTestDatabase();
    cleanups.push(() => own.drop());
    // A session left by a process that crashed before this cluster started.
    const seed = createDatabaseClients(own.url, { max: 2 });
    const user = await seed.prisma.user.create({ data: { email: 'left@example.test', name: 'Left behind' } });
    await seed.prisma.clientSession.create({
      data: { id: 'crashed-session', processId: 'crashed-process', userId: user.id, app: 'premiere', lastSeenAt: new Date(Date.now() - 120_000) },
    });
    cleanups.push(() => seed.close());

    const dataDir = makeTempDir('housekeeping-worker');
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const config = loadConfig({
      DATABASE_URL: own.url,
      STOCKROOM_DATA_DIR: dataDir,
      STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
      WORKER_HTTP_PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    const worker: Stockroom = await startStockroom(config, { role: 'worker', logger: createLogger('silent') });
    cleanups.push(() => worker.stop());
    const anyRole: Job[] = ['housekeeping-outbox-prune', 'housekeeping-stale-client-sessions', 'housekeeping-trash-purge'];
    const apiOnly: Job[] = ['housekeeping-auth-prune', 'housekeeping-upload-cleanup'];
    const completed = async (names: Job[]) => {
      for (const name of names) if (!(await jobsOf(own.url, name)).some((j) => j.state === 'completed')) return false;
      return true;
    };
    await until('the worker to run its tasks', () => completed(anyRole));
    // The crashed process's session went with the worker's stale-session job.
    expect(await seed.prisma.clientSession.findUnique({ where: { id: 'crashed-session' } })).toBeNull();
    // Upload cleanup and auth pruning need an api process: a cluster of workers has no job for them.
    for (const name of apiOnly) expect(await jobsOf(own.url, name)).toEqual([]);

    // An api process joins: its tasks run, and the worker's tasks get no second job this period.
    const api: TestServer = await startTestServer({ database: own });
    cleanups.push(() => api.stop());
    await until('the api process to run its tasks', () => completed(apiOnly));
    await worker.stop();
    await api.stop();
    for (const name of [...anyRole, ...apiOnly]) {
      const jobs = await jobsOf(own.url, name);
      expect(new Set(jobs.map((j) => j.slot)).size, name).toBe(jobs.length);
      expect(
        jobs.every((j) => j.state === 'completed' || j.state === 'created'),
        name,
      ).toBe(true);
    }
  });

  it('removes the client sessions of a process that stopped without saying so, and reports them disconnected', async () => {
    const server = await startTestServer();
    cleanups.push(() => server.destroy());
    const user = await server.createUser({ role: 'admin', name: 'Watcher' });
    const watcher = await RawSocket.signedIn(server.wsUrl, user.token, 'dashboard');
    await watcher.call('events.subscribe', { events: ['client.disconnected'] });
    const db = server.stockroom.database.prisma;
    // A session left by a crashed process: its heartbeat stopped a minute ago.
    await db.clientSession.create({
      data: { id: 'crashed-session', processId: 'crashed-process', userId: user.id, app: 'photoshop', lastSeenAt: new Date(Date.now() - 60_000) },
    });
    const removed = await server.stockroom.services.clients.removeStale();
    expect(removed).toBe(1);
    expect(await db.clientSession.findUnique({ where: { id: 'crashed-session' } })).toBeNull();
    const gone = await watcher.event('client.disconnected', (d) => d.client.sessionId === 'crashed-session');
    expect(gone.data.client).toMatchObject({ user: { id: user.id }, client: { app: 'photoshop' } });
    // The live session of this process is kept.
    expect(await db.clientSession.count({ where: { processId: server.stockroom.services.clients.processId } })).toBeGreaterThan(0);
    watcher.close();
  });

  it('runs a whole-minute task once per minute from pg-boss’s schedule, with two processes declaring it', async () => {
    // The first minute's job came from the processes' start; the next one from the schedule.
    await until('a second minute to run', async () => minuteRuns.length >= 2, 100_000);
    await Promise.all(keepers.splice(0, 2).map((k) => k.stop()));
    const jobs = await jobsOf(database.url, minuteTask);
    expectOnePerSlot(jobs, minuteRuns.length, 60_000);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ cron: string; lastJobId: string | null }>(
        'SELECT cron, last_job_id AS "lastJobId" FROM pgboss.schedule WHERE name = $1',
        [minuteTask],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]!.cron).toBe('FREQ=MINUTELY;INTERVAL=1');
      // The schedule made a job that ran.
      expect(jobs.filter((j) => j.state === 'completed').map((j) => j.id)).toContain(rows[0]!.lastJobId);
    } finally {
      await client.end();
    }
  }, 120_000);
});
