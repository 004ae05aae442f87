import { AwayClock } from '../core/src/state/away-clock.ts';
import { describe, expect, it } from 'vitest';

describe('AwayClock: when the panel lost its connection, on the server clock', () => {
  it('counts from the server time of the hello, whatever the computer’s own clock says, less 5 s for events in flight', () => {
    let local = Date.parse('2031-01-01T00:00:00Z'); // this computer is years off
    const clock = new AwayClock(() => local);
    clock.connected('2026-12-05T10:00:00.000Z');
    local += 90_000;
    clock.stateChanged('reconnecting', 'open');
    local += 600_000; // away for ten minutes: not counted, the drop is what matters
    expect(clock.takeAwaySince()).toBe('2026-12-05T10:01:25.000Z');
  });

  it('answers once per drop, keeps the first moment of a drop that went on retrying, and null when there was none', () => {
    let local = 0;
    const clock = new AwayClock(() => local);
    expect(clock.takeAwaySince()).toBeNull();
    clock.connected('2026-12-05T10:00:00.000Z');
    local = 10_000;
    clock.stateChanged('reconnecting', 'open');
    local = 20_000;
    clock.stateChanged('connecting', 'reconnecting');
    clock.stateChanged('reconnecting', 'connecting');
    expect(clock.takeAwaySince()).toBe('2026-12-05T10:00:05.000Z');
    expect(clock.takeAwaySince()).toBeNull();
  });

  it('knows no moment before a hello with a readable server time', () => {
    const clock = new AwayClock(() => 0);
    clock.stateChanged('reconnecting', 'open');
    expect(clock.takeAwaySince()).toBeNull();
    clock.connected('not a time');
    clock.stateChanged('reconnecting', 'open');
    expect(clock.takeAwaySince()).toBeNull();
  });
});
