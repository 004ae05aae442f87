import { openRateLimitPool, pruneRateLimits } from '../repositories/sessions.ts';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { StockroomError } from '@stockroom/shared-types';

export interface RateLimitRule {
  /** Allowed points per window. */
  points: number;
  /** Window, seconds. */
  duration: number;
}

/** The limits of docs/protocol.md ("Rate limits"); tests may pass smaller ones. */
export const DEFAULT_LIMITS = {
  loginFailuresPerAccount: { points: 10, duration: 15 * 60 },
  loginFailuresPerAddress: { points: 100, duration: 15 * 60 },
  deviceCodePerAddress: { points: 30, duration: 10 * 60 },
  deviceTokenPerAddress: { points: 120, duration: 60 },
  tokenIssuePerUser: { points: 60, duration: 3600 },
  wsMessagesPerConnection: { points: 100, duration: 2 },
  shareRequestsPerAddress: { points: 600, duration: 60 },
  shareCommentsPerAddress: { points: 10, duration: 10 * 60 },
  sharePasswordsPerAddress: { points: 10, duration: 15 * 60 },
} satisfies Record<string, RateLimitRule>;
export type RateLimitConfig = typeof DEFAULT_LIMITS;

/** Throws RATE_LIMITED with the seconds to wait. */
export function rateLimited(res: RateLimiterRes | undefined, what: string): StockroomError {
  const retryAfterSeconds = Math.max(1, Math.ceil((res?.msBeforeNext ?? 1000) / 1000));
  return new StockroomError('RATE_LIMITED', `${what} Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
}

/**
 * Counters in Postgres (table rate_limits), so a limit holds across every server
 * process. The WebSocket limit is per connection, so it lives in memory.
 */
export class RateLimits {
  private readonly pool: ReturnType<typeof openRateLimitPool>;
  readonly loginAccount: RateLimiterAbstract;
  readonly loginAddress: RateLimiterAbstract;
  readonly deviceCode: RateLimiterAbstract;
  readonly deviceToken: RateLimiterAbstract;
  readonly tokenIssue: RateLimiterAbstract;
  /** Share links' public pages: every request, per address. */
  readonly shareRequest: RateLimiterAbstract;
  /** Guest comments, per link and address. */
  readonly shareComment: RateLimiterAbstract;
  /** Password attempts on a share link, per link and address. */
  readonly sharePassword: RateLimiterAbstract;

  constructor(
    databaseUrl: string,
    readonly limits: RateLimitConfig = DEFAULT_LIMITS,
  ) {
    this.pool = openRateLimitPool(databaseUrl);
    const make = (keyPrefix: string, rule: RateLimitRule) =>
      new RateLimiterPostgres({ storeClient: this.pool, tableName: 'rate_limits', tableCreated: true, clearExpiredByTimeout: false, keyPrefix, ...rule });
    this.loginAccount = make('login-account', limits.loginFailuresPerAccount);
    this.loginAddress = make('login-address', limits.loginFailuresPerAddress);
    this.deviceCode = make('device-code', limits.deviceCodePerAddress);
    this.deviceToken = make('device-token', limits.deviceTokenPerAddress);
    this.tokenIssue = make('token-issue', limits.tokenIssuePerUser);
    this.shareRequest = make('share-request', limits.shareRequestsPerAddress);
    this.shareComment = make('share-comment', limits.shareCommentsPerAddress);
    this.sharePassword = make('share-password', limits.sharePasswordsPerAddress);
  }

  /** A fresh per-connection limiter for WebSocket messages. */
  wsMessages(): RateLimiterMemory {
    return new RateLimiterMemory(this.limits.wsMessagesPerConnection);
  }

  /** Takes one point or throws RATE_LIMITED. */
  async consume(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (error) {
      if (error instanceof RateLimiterRes) throw rateLimited(error, what);
      throw error;
    }
  }

  /** True when the key has used up its points (without taking one). */
  async exhausted(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
    const res = await limiter.get(key);
    return res && res.consumedPoints >= limiter.points ? res : null;
  }

  /** Deletes counters whose window ended (an attacker's random e-mails would otherwise pile up). */
  async prune(): Promise<void> {
    await pruneRateLimits(this.pool, Date.now());
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }
}
