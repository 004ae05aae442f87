import { StockroomError } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import { PendingRequests } from '../../src/pending.ts';

describe('PendingRequests', () => {
  it('gives each request its own id and matches responses that arrive out of order', async () => {
    const pending = new PendingRequests();
    const a = pending.add('assets.get', 10_000);
    const b = pending.add('assets.search', 10_000);
    expect(a.id).not.toBe(b.id);
    expect(pending.resolve(b.id, 'second')).toBe(true);
    expect(pending.resolve(a.id, 'first')).toBe(true);
    await expect(a.promise).resolves.toBe('first');
    await expect(b.promise).resolves.toBe('second');
    expect(pending.size).toBe(0);
  });

  it('turns an error response into a StockroomError with the server code, message and data', async () => {
    const pending = new PendingRequests();
    const { id, promise } = pending.add('assets.checkout', 10_000);
    pending.reject(id, { code: 'ASSET_LOCKED', message: 'Ann has it', data: { holder: 'Ann' } });
    const error = await promise.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StockroomError);
    expect(error).toMatchObject({ code: 'ASSET_LOCKED', message: 'Ann has it', data: { holder: 'Ann' } });
  });

  it('ignores responses to unknown ids (late answers after a timeout)', () => {
    const pending = new PendingRequests();
    expect(pending.resolve(99, 'x')).toBe(false);
    expect(pending.resolve(null, 'x')).toBe(false);
    expect(pending.reject('abc', { code: 'INTERNAL', message: 'm' })).toBe(false);
  });

  it('times out with TIMEOUT and forgets the request', async () => {
    const pending = new PendingRequests();
    const { id, promise } = pending.add('assets.get', 20);
    const error = await promise.catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', data: { method: 'assets.get' } });
    expect(pending.resolve(id, 'too late')).toBe(false);
  });

  it('fails everything in flight when the connection drops', async () => {
    const pending = new PendingRequests();
    const calls = [pending.add('assets.get', 10_000), pending.add('assets.checkin', 10_000)];
    pending.failAll((method) => new StockroomError('DISCONNECTED', `dropped ${method}`));
    const errors = await Promise.all(calls.map((c) => c.promise.catch((e: unknown) => e)));
    expect(errors.map((e) => (e as StockroomError).message)).toEqual(['dropped assets.get', 'dropped assets.checkin']);
    expect(pending.size).toBe(0);
  });
});
