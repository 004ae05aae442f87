import { describe, expect, it } from 'vitest';
import { backoffDelay, type ReconnectOptions } from '../../src/backoff.ts';

const options: ReconnectOptions = { initialDelayMs: 100, maxDelayMs: 2_000, factor: 2, jitter: 0.5 };

describe('backoffDelay', () => {
  it('grows by the factor and stops at the cap (no randomness)', () => {
    const noJitter = { ...options, jitter: 0 };
    const schedule = [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, noJitter));
    expect(schedule).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it('takes away at most `jitter` of the delay', () => {
    expect(backoffDelay(3, options, () => 0)).toBe(800);
    expect(backoffDelay(3, options, () => 1)).toBe(400);
    expect(backoffDelay(3, options, () => 0.5)).toBe(600);
    expect(backoffDelay(10, options, () => 0.999)).toBeGreaterThanOrEqual(1000);
  });

  it('spreads clients out: random draws give different delays within the bounds', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(2, options));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(200);
    expect(Math.max(...delays)).toBeLessThanOrEqual(400);
    expect(new Set(delays).size).toBeGreaterThan(20);
  });

  it('clamps a jitter outside 0..1', () => {
    expect(backoffDelay(0, { ...options, jitter: 5 }, () => 1)).toBe(0);
    expect(backoffDelay(0, { ...options, jitter: -1 }, () => 1)).toBe(100);
  });
});
