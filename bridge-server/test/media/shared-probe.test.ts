import { describe, expect, it } from 'vitest';
import { SharedProbe } from '../../src/media/shared-probe.ts';
import type { TimedMediaFacts } from '../../src/media/timed-media-facts.ts';

const facts = (durationSeconds: number) => ({ container: 'mov,mp4', durationSeconds }) as unknown as TimedMediaFacts;

/** A probe that answers when told to, counting its runs. */
function controlledProbe() {
  const pending: Array<{ resolve: (f: TimedMediaFacts) => void; reject: (e: Error) => void }> = [];
  let runs = 0;
  return {
    get runs() {
      return runs;
    },
    probe: () => {
      runs += 1;
      return new Promise<TimedMediaFacts>((resolve, reject) => pending.push({ resolve, reject }));
    },
    answer: (f: TimedMediaFacts) => pending.shift()!.resolve(f),
    fail: (e: Error) => pending.shift()!.reject(e),
  };
}

describe('SharedProbe', () => {
  it('runs one probe for callers asking at the same time, and keeps the answer for later ones', async () => {
    const shared = new SharedProbe();
    const p = controlledProbe();
    const first = shared.facts('a'.repeat(64), p.probe);
    const second = shared.facts('a'.repeat(64), p.probe);
    p.answer(facts(10));
    expect(await first).toEqual(facts(10));
    expect(await second).toEqual(facts(10));
    expect(await shared.facts('a'.repeat(64), p.probe)).toEqual(facts(10));
    expect(p.runs).toBe(1);
  });

  it('keeps no failed answer, and a caller that waited on a failed probe probes itself', async () => {
    const shared = new SharedProbe();
    const p = controlledProbe();
    const first = shared.facts('b'.repeat(64), p.probe);
    const second = shared.facts('b'.repeat(64), p.probe);
    p.fail(new Error('scratch copy removed'));
    await expect(first).rejects.toThrow('scratch copy removed');
    await Promise.resolve();
    p.answer(facts(4)); // the second caller's own probe
    expect(await second).toEqual(facts(4));
    const third = shared.facts('b'.repeat(64), p.probe);
    expect(p.runs).toBe(2); // the good answer is kept
    expect(await third).toEqual(facts(4));
  });

  it('stops only the aborted caller waiting; the others get the answer', async () => {
    const shared = new SharedProbe();
    const p = controlledProbe();
    const aborted = new AbortController();
    const first = shared.facts('c'.repeat(64), p.probe, aborted.signal);
    const second = shared.facts('c'.repeat(64), p.probe);
    aborted.abort(new Error('job given up'));
    await expect(first).rejects.toThrow('job given up');
    p.answer(facts(7));
    expect(await second).toEqual(facts(7));
    expect(p.runs).toBe(1);
  });

  it('forgets the least recently used original beyond its capacity', async () => {
    const shared = new SharedProbe(2);
    let runs = 0;
    const probe = async () => facts(++runs);
    await shared.facts('1', probe);
    await shared.facts('2', probe);
    await shared.facts('1', probe); // 1 is now the most recently used
    await shared.facts('3', probe); // 2 goes
    expect(runs).toBe(3);
    expect(await shared.facts('1', probe)).toEqual(facts(1));
    expect(await shared.facts('2', probe)).toEqual(facts(4));
  });
});
