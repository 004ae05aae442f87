import { z } from 'zod';
import { ConfigError } from '../config.ts';

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

const seconds = z
  .string()
  .regex(/^\d+\s*(s|m|h)?$/, 'a duration such as 5s, 10m or 1h')
  .transform((text) => {
    const m = /^(\d+)\s*([smh]?)$/.exec(text.trim())!;
    return Number(m[1]) * ({ s: 1000, m: 60_000, h: 3_600_000 }[m[2] || 's'] ?? 1000);
  });

const schema = z.object({
  SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  TRUST_PROXY: z.string().min(1).optional(),
  WS_ALLOWED_ORIGINS: z.string().optional(),
  DEVICE_CODE_TTL: seconds.default(600_000),
  DEVICE_POLL_INTERVAL: seconds.default(5000),
  OIDC_ISSUER: z.url({ error: 'a URL such as https://login.example.com' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_REDIRECT_URL: z.url({ error: 'a URL such as https://stockroom.example.com/auth/oidc/callback' }).optional(),
});
const OIDC_KEYS = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_REDIRECT_URL'] as const;

/** The sign-in settings (docs/protocol.md, "Sign-in"), read with the rest of the configuration. */
export function loadAuthConfig(env: NodeJS.ProcessEnv): AuthConfig {
  const relevant = Object.fromEntries(Object.keys(schema.shape).filter((k) => env[k] !== undefined && env[k] !== '').map((k) => [k, env[k]]));
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
  if (OIDC_KEYS.some((k) => c[k]) && !OIDC_KEYS.every((k) => c[k])) {
    throw new ConfigError([`single sign-on needs all of ${OIDC_KEYS.join(', ')}; missing: ${OIDC_KEYS.filter((k) => !c[k]).join(', ')}`]);
  }
  return {
    sessionSecret: c.SESSION_SECRET,
    trustProxy: parseTrustProxy(c.TRUST_PROXY),
    wsAllowedOrigins: (c.WS_ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean),
    deviceCodeTtlMs: c.DEVICE_CODE_TTL,
    devicePollIntervalMs: Math.max(1000, c.DEVICE_POLL_INTERVAL),
    oidc: c.OIDC_ISSUER ? { issuer: c.OIDC_ISSUER, clientId: c.OIDC_CLIENT_ID!, clientSecret: c.OIDC_CLIENT_SECRET!, redirectUrl: c.OIDC_REDIRECT_URL! } : undefined,
  };
}

function parseTrustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}
