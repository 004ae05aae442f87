/** How long to wait between reconnect attempts. */
export interface ReconnectOptions {
  /** Delay before the first retry. */
  initialDelayMs: number;
  /** Upper bound of any delay. */
  maxDelayMs: number;
  /** Each failed attempt multiplies the delay by this. */
  factor: number;
  /**
   * Share of the delay that is random, 0..1. With 0.5 a 4 s delay becomes
   * 2..4 s, so many clients dropped by one server restart do not return in lockstep.
   */
  jitter: number;
  /** Give up after this many failed attempts in a row (default: never). */
  maxAttempts?: number;
}

export const DEFAULT_RECONNECT: ReconnectOptions = {
  initialDelayMs: 250,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 0.5,
};

/**
 * Delay before retry number `attempt` (0 = the first retry): exponential growth capped
 * at maxDelayMs, then reduced by up to `jitter` of itself.
 */
export function backoffDelay(attempt: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const jitter = Math.min(Math.max(options.jitter, 0), 1);
  const exponential = options.initialDelayMs * Math.pow(options.factor, Math.max(attempt, 0));
  const capped = Math.min(options.maxDelayMs, exponential);
  return Math.round(capped * (1 - jitter * random()));
}
