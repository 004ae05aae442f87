import path from 'node:path';
import os from 'node:os';
import parseMs from 'ms';
import { z } from 'zod';
import { parseMediaSettings, type MediaSettings } from './worker/settings.ts';

const bytes = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$/i, 'a size such as 500MB, 10GiB or 1048576')
  .transform(parseBytes);
/**
 * One rule for every duration: a number with a unit (500ms, 30s, 15m, 24h, 7d, read by `ms`),
 * or a bare number in the variable's own unit (milliseconds, or seconds for the sign-in codes).
 */
const duration = (bareUnit: 'ms' | 's' = 'ms') =>
  z
    .string()
    .refine((text) => parseDuration(text, bareUnit) !== undefined, `a duration such as ${bareUnit === 's' ? '5s, 10m or 1h' : '500ms, 30s, 15m, 24h or 7d'}`)
    .transform((text) => parseDuration(text, bareUnit)!);
const port = z.coerce.number({ error: 'a port number' }).int().min(0).max(65535);
const url = (what: string) => z.url({ error: `a URL such as ${what}` });

/** Every setting, its environment variable and default. The README's table mirrors this. */
const schema = z.object({
  STOCKROOM_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url('postgresql://user:password@host:5432/stockroom').optional(),
  // The server itself when DATABASE_URL points at a pooler such as PgBouncer (docs/operations.md).
  DATABASE_DIRECT_URL: url('postgresql://user:password@host:5432/stockroom').optional(),
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
  UPLOAD_EXPIRY: duration().default(24 * 3600_000),
  OUTBOX_RETENTION: duration().default(24 * 3600_000),
  TRASH_RETENTION_DAYS: z.coerce.number({ error: 'a whole number of days' }).int().min(1).max(3650).default(30),
  WS_MAX_FRAME: bytes.default(1024 * 1024),
  WS_HELLO_TIMEOUT: duration().default(10_000),
  WS_PING_INTERVAL: duration().default(30_000),
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
    .transform((v) =>
      v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(url('http://127.0.0.1:8108 (or several, separated by commas)')).min(1))
    .optional(),
  TYPESENSE_API_KEY: z.string().optional(),
  WORKER_CONCURRENCY: z.coerce
    .number({ error: 'a whole number' })
    .int()
    .min(1)
    .max(256)
    .default(os.cpus().length || 1),
  UPLOAD_DIR: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: z.coerce.number({ error: 'a whole number' }).int().min(2).max(1000).optional(),
  WORKER_HTTP_PORT: port.default(7371),
  S3_PART_SIZE: bytes.optional(),
  S3_MULTIPART_ABOVE: bytes.optional(),
  // Sign-in (docs/protocol.md, "Sign-in").
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  TRUST_PROXY: z.string().min(1).optional(),
  WS_ALLOWED_ORIGINS: z.string().optional(),
  DEVICE_CODE_TTL: duration('s').default(600_000),
  DEVICE_POLL_INTERVAL: duration('s').default(5000),
  OIDC_ISSUER: z.url({ error: 'a URL such as https://login.example.com' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.url({ error: 'a URL such as https://stockroom.example.com/auth/oidc/callback' }).optional(),
});
const OIDC_KEYS = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const;

export interface AuthConfig {
  /** Signs session cookies and CSRF tokens; generated into the data folder when absent. */
  sessionSecret: string | undefined;
  /** Express `trust proxy` value (e.g. `1`, `loopback`), so Secure cookies and client addresses work behind a TLS proxy. */
  trustProxy: boolean | number | string | undefined;
  /** Origins (besides this server's own, `null` and none) allowed to open the WebSocket. */
  wsAllowedOrigins: string[];
  deviceCodeTtlMs: number;
  devicePollIntervalMs: number;
  oidc: { issuer: string; clientId: string; clientSecret: string; redirectUrl: string } | undefined;
}

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  dataDir: string;
  databaseUrl: string | undefined;
  /** For LISTEN, session advisory locks, migrations and the job queue's own pool; DATABASE_URL when unset. */
  databaseDirectUrl: string | undefined;
  storageDir: string;
  uploadDir: string;
  port: number;
  host: string;
  publicUrl: string | undefined;
  /** Sign-in: sessions, device sign-in, single sign-on, WebSocket origins. */
  auth: AuthConfig;
  logLevel: RawConfig['LOG_LEVEL'];
  admin: { email: string; password: string | undefined; token: string | undefined };
  maxUploadBytes: number;
  uploadExpiryMs: number;
  /** Events every reader has passed are deleted once this old (worker/outbox-pruner.ts). */
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
  s3:
    | { endpoint: string; bucket: string; accessKey: string; secretKey: string; region: string; prefix: string; partSize?: number; multipartAbove?: number }
    | undefined;
  typesense: { url: string[]; apiKey: string } | undefined;
  workerConcurrency: number;
  /** Derivative presets, media limits and job retries (worker/settings.ts). */
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
        // Secrets are not echoed back.
        const shown = key.includes('SECRET') ? '[redacted]' : JSON.stringify(relevant[key] ?? '');
        return `${key}=${shown}: expected ${issue.message}`;
      }),
    );
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.S3_ENDPOINT && (!c.S3_ACCESS_KEY || !c.S3_SECRET_KEY)) {
    problems.push('S3_ENDPOINT is set: S3_ACCESS_KEY and S3_SECRET_KEY are required too');
  }
  if (c.DATABASE_DIRECT_URL && !c.DATABASE_URL) {
    problems.push('DATABASE_DIRECT_URL is set: DATABASE_URL is required too (the pooler, or the same server)');
  }
  if (c.TYPESENSE_URL && !c.TYPESENSE_API_KEY) problems.push('TYPESENSE_URL is set: TYPESENSE_API_KEY is required too');
  if (problems.length) throw new ConfigError(problems);
  if (OIDC_KEYS.some((k) => c[k]) && !OIDC_KEYS.every((k) => c[k])) {
    throw new ConfigError([`single sign-on needs all of ${OIDC_KEYS.join(', ')}; missing: ${OIDC_KEYS.filter((k) => !c[k]).join(', ')}`]);
  }
  const dataDir = path.resolve(c.STOCKROOM_DATA_DIR);
  const media = parseMediaSettings(env, { concurrency: c.WORKER_CONCURRENCY, dataDir });
  if (media.problems.length) throw new ConfigError(media.problems);
  return {
    dataDir,
    databaseUrl: c.DATABASE_URL,
    databaseDirectUrl: c.DATABASE_DIRECT_URL,
    storageDir: path.resolve(c.STORAGE_DIR ?? path.join(dataDir, 'blobs')),
    // Partial uploads: with several api processes, one folder they all share (see docs/operations.md).
    uploadDir: path.resolve(c.UPLOAD_DIR ?? path.join(dataDir, 'uploads')),
    port: c.PORT,
    host: c.HOST,
    publicUrl: c.PUBLIC_URL,
    auth: {
      sessionSecret: c.SESSION_SECRET,
      trustProxy: parseTrustProxy(c.TRUST_PROXY),
      wsAllowedOrigins: (c.WS_ALLOWED_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim().replace(/\/+$/, ''))
        .filter(Boolean),
      deviceCodeTtlMs: c.DEVICE_CODE_TTL,
      devicePollIntervalMs: Math.max(1000, c.DEVICE_POLL_INTERVAL),
      oidc: c.OIDC_ISSUER
        ? { issuer: c.OIDC_ISSUER, clientId: c.OIDC_CLIENT_ID!, clientSecret: c.OIDC_CLIENT_SECRET!, redirectUrl: c.OIDC_REDIRECT_URL! }
        : undefined,
    },
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

// Sizes keep their own small parser: the `bytes` package reads KB as 1024, while here KB is
// 1000 and KiB is 1024 (as the README documents), and MAX_UPLOAD_SIZE=50GB must not change meaning.
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};
function parseBytes(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())!;
  return Math.round(Number(m[1]) * (UNITS[(m[2] || 'b').toLowerCase()] ?? 1));
}
function parseDuration(text: string, bareUnit: 'ms' | 's'): number | undefined {
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) return undefined;
  // The grammar stays this narrow ("3 weeks" is refused, as documented); `ms` converts the unit.
  return match[2] ? parseMs(`${match[1]}${match[2]}` as Parameters<typeof parseMs>[0]) : Number(match[1]) * (bareUnit === 's' ? 1000 : 1);
}

function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
