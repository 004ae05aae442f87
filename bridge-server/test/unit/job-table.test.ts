// The job table: every declared job has a handler, and an undeclared name or a payload its
// schema refuses is a clear VALIDATION_FAILED, never a crash deeper in the worker.
import { StockroomError } from '@stockroom/shared-types';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { recurrenceOf } from '../../src/adapters/queue/pg-boss.ts';
import { HOUSEKEEPING_JOBS, jobNames, MEDIA_JOBS, parseJobPayload } from '../../src/ports/jobs.ts';
import { mediaJobRunners } from '../../src/worker/media-jobs.ts';

function refusal(run: () => unknown): StockroomError {
  try {
    run();
  } catch (error) {
    if (error instanceof StockroomError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the media job table', () => {
  it('gives every declared job a runner, and no runner to an undeclared job', () => {
    // The runners are only built here, not run: their dependencies are never touched.
    const runners = mediaJobRunners({} as never, 4, pLimit(4));
    expect(Object.keys(runners).sort()).toEqual(jobNames(MEDIA_JOBS).sort());
    for (const name of jobNames(MEDIA_JOBS)) {
      expect(typeof runners[name].handle, name).toBe('function');
      expect(runners[name].lanes, name).toBeGreaterThanOrEqual(1);
      expect(runners[name].batchSize, name).toBeGreaterThanOrEqual(1);
    }
  });

  it('takes the payloads the server queues', () => {
    expect(parseJobPayload(MEDIA_JOBS, 'media-derivative', { versionId: 'v1' })).toEqual({ versionId: 'v1' });
    expect(parseJobPayload(MEDIA_JOBS, 'media-derivative', { derivativeId: 'd1' })).toEqual({ derivativeId: 'd1' });
    expect(parseJobPayload(MEDIA_JOBS, 'media-metadata', { versionId: 'v1' })).toEqual({ versionId: 'v1' });
  });

  it('refuses a job name it does not declare, naming the declared ones', () => {
    const error = refusal(() => parseJobPayload(MEDIA_JOBS, 'media-thumbnail' as never, { versionId: 'v1' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('There is no job "media-thumbnail"');
    expect(error.data).toEqual({ job: 'media-thumbnail', declared: ['media-derivative', 'media-metadata'] });
  });

  it('refuses a payload its job does not take, saying what is wrong', () => {
    for (const [name, data] of [
      ['media-metadata', {}],
      ['media-metadata', { versionId: 42 }],
      ['media-derivative', { assetId: 'a1' }],
      ['media-derivative', null],
    ] as const) {
      const error = refusal(() => parseJobPayload(MEDIA_JOBS, name, data));
      expect(error.code, JSON.stringify(data)).toBe('VALIDATION_FAILED');
      expect(error.message).toContain(`not one a "${name}" job takes`);
      expect((error.data as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
    }
    const missing = refusal(() => parseJobPayload(MEDIA_JOBS, 'media-metadata', { versionId: 42 }));
    expect(missing.data).toMatchObject({ job: 'media-metadata', issues: [{ path: 'versionId' }] });
  });
});

describe('the housekeeping job table and its periods', () => {
  it('declares every housekeeping job with an empty payload', () => {
    for (const name of jobNames(HOUSEKEEPING_JOBS)) expect(parseJobPayload(HOUSEKEEPING_JOBS, name, {}), name).toEqual({});
  });

  it('schedules whole minutes with pg-boss (phase from the epoch), and throttles shorter or odd periods, one job per slot', () => {
    expect(recurrenceOf(3_600_000)).toEqual({ slotSeconds: 3600, rule: 'FREQ=MINUTELY;INTERVAL=60' });
    expect(recurrenceOf(60_000)).toEqual({ slotSeconds: 60, rule: 'FREQ=MINUTELY;INTERVAL=1' });
    // UPLOAD_EXPIRY=24h / 10: every 144 minutes.
    expect(recurrenceOf(8_640_000)).toEqual({ slotSeconds: 8640, rule: 'FREQ=MINUTELY;INTERVAL=144' });
    expect(recurrenceOf(45_000)).toEqual({ slotSeconds: 45 });
    expect(recurrenceOf(90_000)).toEqual({ slotSeconds: 90 });
    expect(recurrenceOf(1_400)).toEqual({ slotSeconds: 1 });
  });

  it('refuses a period below a second or above a day', () => {
    for (const everyMs of [0, 999, 86_400_001, Number.NaN]) expect(() => recurrenceOf(everyMs), String(everyMs)).toThrow(RangeError);
  });
});
