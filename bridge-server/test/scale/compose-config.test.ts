// `docker-compose config` (Debian's docker-compose 1.29, installed by scripts/setup.sh) reads
// deploy/compose.yaml the way Docker Compose will, without a Docker daemon: interpolation
// from the .env file, merge keys, the compose schema. What it prints is the file as Compose
// sees it, so the replica counts and the balancer set-up are checked on that, not on the text.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const DEPLOY = path.join(import.meta.dirname, '..', '..', '..', 'deploy');
const COMPOSE = path.join(DEPLOY, 'compose.yaml');
const ENV_EXAMPLE = path.join(DEPLOY, '.env.example');

interface Service {
  command?: string[];
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: unknown[];
}

/** `docker-compose config` with the example .env; `env` replaces the process environment (Compose reads both). */
async function composeConfig(args: string[], env: Record<string, string> = {}, envFile = ENV_EXAMPLE) {
  return run('docker-compose', ['-f', COMPOSE, '--env-file', envFile, 'config', ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    timeout: 60_000,
  }).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
    if (error.code === 'ENOENT') throw new Error("docker-compose is not installed: run ./stockroom setup (it installs Debian's docker-compose).");
    throw error;
  });
}

describe('deploy/compose.yaml under docker-compose config', () => {
  it('validates (config -q) with the example .env', async () => {
    const { stdout, stderr } = await composeConfig(['-q']);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/error|invalid/i);
  });

  it('keeps at least two api replicas, one worker, and a round-robin balancer with no stickiness', async () => {
    const services = (parse((await composeConfig([])).stdout) as { services: Record<string, Service> }).services;
    expect(services.api!.deploy!.replicas).toBe(2);
    expect(services.api!.command).toEqual(['--role', 'api']);
    expect(services.worker!.deploy!.replicas).toBe(1);
    expect(services.worker!.command).toEqual(['--role', 'worker']);
    // Every api replica mounts the same upload folder, and the worker (merged from the api's anchor) does not.
    expect(services.api!.volumes).toContainEqual(expect.stringMatching(/^uploads:\/srv\/stockroom\/uploads/));
    expect(services.worker!.volumes ?? []).toEqual([]);
    expect(services.worker!.environment!.DATABASE_URL).toBe(services.api!.environment!.DATABASE_URL);

    const balancer = services.balancer!;
    expect(JSON.stringify(balancer.ports)).toMatch(/7370/);
    const mount = balancer.volumes!.find((volume) => volume.includes(':/etc/nginx/conf.d/default.conf'));
    expect(mount, 'the balancer mounts deploy/nginx.conf').toBeDefined();
    const nginx = readFileSync(mount!.split(':')[0]!, 'utf8');
    expect(nginx).toMatch(/upstream stockroom_api \{[^}]*server api:7370 resolve;/);
    expect(nginx).not.toMatch(/ip_hash|hash \$|sticky/);
  });

  it('puts PgBouncer (transaction mode) between the pools and PostgreSQL, keeps LISTEN and locks on the direct URL, and sizes both', async () => {
    const rendered = parse((await composeConfig([])).stdout) as { services: Record<string, Service & { depends_on?: Record<string, unknown> }> };
    const { api, worker, pgbouncer, postgres } = rendered.services;
    const host = (url: string | undefined) => new URL(url ?? '').hostname;
    for (const process of [api!, worker!]) {
      expect(host(process.environment!.DATABASE_URL)).toBe('pgbouncer');
      expect(host(process.environment!.DATABASE_DIRECT_URL)).toBe('postgres');
    }
    expect(Object.keys(api!.depends_on ?? {})).toContain('pgbouncer');
    expect(pgbouncer!.environment).toMatchObject({ POOL_MODE: 'transaction', DB_HOST: 'postgres', DB_NAME: 'stockroom', DB_USER: 'stockroom' });
    // docs/operations.md, "Behind PgBouncer": every process's pooled connections (main pool + 4 rate limits) fit
    // max_client_conn; PgBouncer's pool plus the direct connections (api 7, worker 6) fit max_connections.
    const replicas = { api: api!.deploy!.replicas!, worker: worker!.deploy!.replicas! };
    const pooled = (replicas.api + replicas.worker) * (Number(api!.environment!.DATABASE_POOL_SIZE) + 4);
    expect(Number(pgbouncer!.environment!.MAX_CLIENT_CONN)).toBeGreaterThanOrEqual(pooled);
    const maxConnections = Number(/max_connections=(\d+)/.exec(postgres!.command!.join(' '))?.[1]);
    expect(maxConnections).toBeGreaterThanOrEqual(Number(pgbouncer!.environment!.DEFAULT_POOL_SIZE) + replicas.api * 7 + replicas.worker * 6 + 10);
  });

  it('takes the replica counts from the environment', async () => {
    const services = (parse((await composeConfig([], { API_REPLICAS: '4', WORKER_REPLICAS: '3' })).stdout) as { services: Record<string, Service> }).services;
    expect(services.api!.deploy!.replicas).toBe(4);
    expect(services.worker!.deploy!.replicas).toBe(3);
  });

  it('refuses to render without the secrets, naming the one to set', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'compose-env-'));
    const empty = path.join(folder, '.env');
    writeFileSync(empty, '');
    const failure = await composeConfig(['-q'], {}, empty)
      .then(
        () => null,
        (error: { stderr?: string }) => error,
      )
      .finally(() => rmSync(folder, { recursive: true, force: true }));
    expect(failure, 'config must fail without a .env').not.toBeNull();
    expect(failure!.stderr).toMatch(/POSTGRES_PASSWORD|S3_ACCESS_KEY|SESSION_SECRET|TYPESENSE_API_KEY/);
  });
});
