import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { makeTempDir } from '../support/server.ts';

/** The real program, started as a person would, until it exits: its exit code and everything it printed. */
function runProgram(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const main = path.join(import.meta.dirname, '..', '..', 'src', 'main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** A failed start says one sentence on stderr (and in the log), with no stack trace anywhere. */
function expectOneSentence(run: { code: number | null; stdout: string; stderr: string }, sentence: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr.trim()).toMatch(sentence);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  const fatal = run.stdout.split('\n').find((line) => line.includes('"level":60'));
  expect(JSON.parse(fatal!).msg).toMatch(sentence);
  expect(run.stdout + run.stderr).not.toMatch(/\n\s+at |"stack"/);
}

const cleanup: Array<() => unknown> = [];
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  cleanup.push(() => database.drop());
});
afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
});

async function listeningPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

describe('start-up failures are one sentence naming what to fix', () => {
  it('port in use', { timeout: 120_000 }, async () => {
    const { port, server } = await listeningPort();
    cleanup.push(() => server.close());
    const dataDir = makeTempDir('port-in-use');
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const run = await runProgram({ PORT: String(port), DATABASE_URL: database.url, STOCKROOM_DATA_DIR: dataDir });
    expectOneSentence(run, new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is in use: stop the other process or set PORT\\.$`));
  });

  it('database unreachable', { timeout: 120_000 }, async () => {
    const { port, server } = await listeningPort();
    await new Promise((resolve) => server.close(resolve)); // a port nobody listens on
    const dataDir = makeTempDir('no-database');
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const run = await runProgram({ DATABASE_URL: `postgresql://stockroom:secret@127.0.0.1:${port}/stockroom`, STOCKROOM_DATA_DIR: dataDir });
    expectOneSentence(
      run,
      new RegExp(`^The database at 127\\.0\\.0\\.1:${port} cannot be reached \\(ECONNREFUSED\\): start PostgreSQL there or fix DATABASE_URL\\.$`),
    );
    expect(run.stdout + run.stderr).not.toContain('secret');
  });

  it.runIf(process.getuid?.() === 0)('a data folder the database user cannot enter (as root)', { timeout: 120_000 }, async () => {
    const privateDir = makeTempDir('private');
    chmodSync(privateDir, 0o700);
    mkdirSync(path.join(privateDir, 'data'));
    cleanup.push(() => rmSync(privateDir, { recursive: true, force: true }));
    const run = await runProgram({ STOCKROOM_DATA_DIR: path.join(privateDir, 'data') });
    expectOneSentence(
      run,
      new RegExp(`cannot enter ${privateDir.replaceAll('.', '\\.')}\\. Choose a data folder it can reach \\(STOCKROOM_DATA_DIR\\), or allow it in`),
    );
  });
});
