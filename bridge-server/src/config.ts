import { loadAuthConfig, type AuthConfig } from './auth/config.ts';
import path from 'node:path';
import os from 'node:os';
import { z } from 'zod';
import { parseMediaSettings, type MediaSettings } from './jobs/settings.ts';

const bytes = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$/i, 'a size such as 500MB, 10GiB or 1048576')
  .transform(parseBytes);
const duration = z
  .string()
  .regex(/^\d+\s*(ms|s|m|h|d)?$/, 'a duration such as 500ms, 30s, 15m, 24h or 7d')
  .transform(parseDuration);
const port = z.coerce.number({ error: 'a port number' }).int().min(0).max(65535);
const url = (what: string) => z.url({ error: `a URL such as ${what}` });

/** Every setting, its environment variable and default. The README's table mirrors this. */
const schema = z.object({
  STOCKROOM_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url('postgresql://user:password@host:5432/stockroom').optional(),
  STORAGE_DIR: z.string().min(1).optional(),
  PORT: port.default(7370),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: url('https://stockroom.example.com').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STOCKROOM_ADMIN_EMAIL: z.email({ error: 'an e-mail address' }).default('admin@stockroom.local'),
  STOCKROOM_ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  STOCKROOM_ADMIN_TOKEN: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32,200}$/, '32 to 200 letters, digits, - or _')
    .optional(),
  MAX_UPLOAD_SIZE: bytes.default(50 * 1024 ** 3),
  UPLOAD_EXPIRY: duration.default(24 * 3600_000),
  OUTBOX_RETENTION: duration.default(24 * 3600_000),
  TRASH_RETENTION_DAYS: z.coerce.number({ error: 'a whole number of days' }).int().min(1).max(3650).default(30),
  WS_MAX_FRAME: bytes.default(1024 * 1024),
  WS_HELLO_TIMEOUT: duration.default(10_000),
  WS_PING_INTERVAL: duration.default(30_000),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  S3_ENDPOINT: url('http://127.0.0.1:9000').optional(),
  S3_BUCKET: z.string().min(3).default('stockroom'),
  S3_ACCESS_KEY: z.string().optional(),
  S3_SECRET_KEY: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_PREFIX: z.string().default(''),
  // One URL, or a Typesense cluster's nodes separated by commas.
  TYPESENSE_URL: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
    .pipe(z.array(url('http://127.0.0.1:8108 (or several, separated by commas)')).min(1))
    .optional(),
  TYPESENSE_API_KEY: z.string().optional(),
  WORKER_CONCURRENCY: z.coerce.number({ error: 'a whole number' }).int().min(1).max(256).default(os.cpus().length || 1),
  UPLOAD_DIR: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number({ error: 'a whole number' }).int().min(2).max(1000).optional(),
  WORKER_HTTP_PORT: port.default(7371),
  S3_PART_SIZE: bytes.optional(),
  S3_MULTIPART_ABOVE: bytes.optional(),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  dataDir: string;
  databaseUrl: string | undefined;
  storageDir: string;
  uploadDir: string;
  port: number;
  host: string;
  publicUrl: string | undefined;
  /** Sign-in: sessions, device sign-in, single sign-on, WebSocket origins (auth/config.ts). */
  auth: AuthConfig;
  logLevel: RawConfig['LOG_LEVEL'];
  admin: { email: string; password: string | undefined; token: string | undefined };
  maxUploadBytes: number;
  uploadExpiryMs: number;
  /** Events every reader has passed are deleted once this old (jobs/outbox-pruner.ts). */
  outboxRetentionMs: number;
  /** Deleted assets stay restorable this many days, then go for good. */
  trashRetentionDays: number;
  wsMaxFrameBytes: number;
  /** A socket that has not sent session.hello this long after opening is closed (4408). */
  wsHelloTimeoutMs: number;
  /** Protocol pings every this long; a socket that missed the previous pong is cut off. */
  wsPingIntervalMs: number;
  /** Bearer token a Prometheus scraper sends to /metrics (administrators' API tokens work too). */
  metricsToken: string | undefined;
  s3: { endpoint: string; bucket: string; accessKey: string; secretKey: string; region: string; prefix: string; partSize?: number; multipartAbove?: number } | undefined;
  typesense: { url: string[]; apiKey: string } | undefined;
  workerConcurrency: number;
  /** Derivative presets, media limits and job retries (jobs/settings.ts). */
  media: MediaSettings;
  /** Connections in the main database pool; absent: the role's default (see databasePoolSize). */
  databasePoolSize: number | undefined;
  /** Where the worker role serves /healthz and /metrics. */
  workerHttpPort: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Stockroom cannot start: the configuration is invalid.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; a bad value names the variable and the expected form. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0] ?? '');
        return `${key}=${JSON.stringify(relevant[key] ?? '')}: expected ${issue.message}`;
      }),
    );
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.S3_ENDPOINT && (!c.S3_ACCESS_KEY || !c.S3_SECRET_KEY)) {
    problems.push('S3_ENDPOINT is set: S3_ACCESS_KEY and S3_SECRET_KEY are required too');
  }
  if (c.TYPESENSE_URL && !c.TYPESENSE_API_KEY) problems.push('TYPESENSE_URL is set: TYPESENSE_API_KEY is required too');
  if (problems.length) throw new ConfigError(problems);
  const dataDir = path.resolve(c.STOCKROOM_DATA_DIR);
  const media = parseMediaSettings(env, { concurrency: c.WORKER_CONCURRENCY, dataDir });
  if (media.problems.length) throw new ConfigError(media.problems);
  return {
    dataDir,
    databaseUrl: c.DATABASE_URL,
    storageDir: path.resolve(c.STORAGE_DIR ?? path.join(dataDir, 'blobs')),
    // Partial uploads: with several api processes, one folder they all share (see docs/operations.md).
    uploadDir: path.resolve(c.UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL,
    auth: loadAuthConfig(env),
    logLevel: c.LOG_LEVEL,
    admin: { email: c.STOCKROOM_ADMIN_EMAIL.toLowerCase(), password: c.STOCKROOM_ADMIN_PASSWORD, token: c.STOCKROOM_ADMIN_TOKEN },
    maxUploadBytes: c.MAX_UPLOAD_SIZE,
    uploadExpiryMs: c.UPLOAD_EXPIRY,
    outboxRetentionMs: c.OUTBOX_RETENTION,
    trashRetentionDays: c.TRASH_RETENTION_DAYS,
    wsMaxFrameBytes: c.WS_MAX_FRAME,
    wsHelloTimeoutMs: c.WS_HELLO_TIMEOUT,
    wsPingIntervalMs: c.WS_PING_INTERVAL,
    metricsToken: c.METRICS_TOKEN,
    s3: c.S3_ENDPOINT
      ? {
          endpoint: c.S3_ENDPOINT,
          bucket: c.S3_BUCKET,
          accessKey: c.S3_ACCESS_KEY ?? '',
          secretKey: c.S3_SECRET_KEY ?? '',
          region: c.S3_REGION,
          prefix: c.S3_PREFIX,
          partSize: c.S3_PART_SIZE,
          multipartAbove: c.S3_MULTIPART_ABOVE,
        }
      : undefined,
    typesense: c.TYPESENSE_URL ? { url: c.TYPESENSE_URL, apiKey: c.TYPESENSE_API_KEY ?? '' } : undefined,
    workerConcurrency: c.WORKER_CONCURRENCY,
    media: media.settings,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    workerHttpPort: c.WORKER_HTTP_PORT,
  };
}

const UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4,
};
function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())!;
  return Math.round(Number(m[1]) * (UNITS[(m[2] || 'b').toLowerCase()] ?? 1));
}
const MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
function parseDuration(text: string): number {
  const m = /^(\d+)\s*([a-z]*)$/.exec(text.trim())!;
  return Number(m[1]) * (MS[m[2] || 'ms'] ?? 1);
}
