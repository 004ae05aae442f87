import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, startStockroom, type Stockroom } from '../../src/index.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { makeTempDir } from './temp-dir.ts';

export { makeTempDir };

export const ADMIN_TOKEN = 'sr_test_admin_token_0123456789abcdefghijklmnopqrstuvwxyz';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  token: string;
}

export interface TestServer {
  url: string;
  wsUrl: string;
  port: number;
  adminToken: string;
  database: TestDatabase;
  dataDir: string;
  stockroom: Stockroom;
  /** Stops the server (keeps the database and data folder). */
  stop(): Promise<void>;
  /** Starts it again on the same port, database and data folder. */
  start(): Promise<void>;
  restart(): Promise<void>;
  createUser(options?: { role?: 'admin' | 'member'; name?: string }): Promise<TestUser>;
  /** Stops the server and removes its database and data folder. */
  destroy(): Promise<void>;
}

/**
 * A real bridge server in this process: real Postgres database (fresh per call),
 * real disk blob store, real HTTP and WebSocket sockets on loopback.
 */
export async function startTestServer(options: { env?: Record<string, string>; database?: TestDatabase; logger?: Logger } = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = makeTempDir('server');
  let port = 0;
  const env = () => ({
    DATABASE_URL: database.url,
    STOCKROOM_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    STOCKROOM_ADMIN_TOKEN: ADMIN_TOKEN,
    ...options.env,
  });
  let stockroom: Stockroom | undefined;
  let userCount = 0;
  const server: TestServer = {
    url: '',
    wsUrl: '',
    port: 0,
    adminToken: ADMIN_TOKEN,
    database,
    dataDir,
    get stockroom() {
      if (!stockroom) throw new Error('the test server is stopped');
      return stockroom;
    },
    async start() {
      const config = loadConfig(env());
      stockroom = await startStockroom(config, { logger: options.logger ?? createLogger(config.logLevel) });
      const url = stockroom.http!.url;
      port = Number(new URL(url).port);
      Object.assign(server, { url, wsUrl: url.replace(/^http/, 'ws') + '/ws', port });
    },
    async stop() {
      await stockroom?.stop();
      stockroom = undefined;
    },
    async restart() {
      await server.stop();
      await server.start();
    },
    async createUser({ role = 'member', name } = {}) {
      userCount += 1;
      const s = server.stockroom.services;
      const label = name ?? `${role} ${userCount}`;
      const user = await s.users.create({ email: `user${userCount}-${Date.now()}@example.test`, name: label, role });
      const token = await s.tokens.create(user.id, { name: 'test' });
      return { id: user.id, email: user.email, name: user.name, token: token.secret };
    },
    async destroy() {
      await server.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The real `stockroom` program in a child process (for crash and restart tests). */
/** Runs the server from source (through tsx), or a built bundle when `options.bundle` names one. */
export async function startServerProcess(env: Record<string, string>, args: string[] = [], options: { bundle?: string } = {}): Promise<ServerProcess> {
  const main = path.join(import.meta.dirname, '..', '..', 'src', 'main.ts');
  const entry = options.bundle ? [options.bundle] : ['--import', 'tsx', main];
  const child = spawn(process.execPath, [...entry, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = () => {
      const match = /"msg":"ready"/.test(output) ? /"url":"(http:\/\/[^"]+)"/.exec(output) : null;
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}
