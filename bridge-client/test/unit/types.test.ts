// Compile-time checks (run by `tsc -p bridge-client`): calls and events are typed from
// the shared contract. The function is never run; each @ts-expect-error fails the
// type-check if the line it marks stops being an error.
import type { Asset, EventData } from '@stockroom/shared-types';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { BridgeClient, checkInParams } from '../../src/index.ts';

function typedUsage(client: BridgeClient) {
  return async () => {
    const asset = await client.call('assets.get', { id: '00000000-0000-0000-0000-000000000000' });
    expectTypeOf(asset).toEqualTypeOf<Asset>();
    const { events } = await client.call('events.subscribe');
    expectTypeOf(events).items.toBeString();
    await client.call('session.whoami', undefined, { timeoutMs: 1000 });

    // @ts-expect-error unknown method
    await client.call('assets.nope', {});
    // @ts-expect-error required params are missing
    await client.call('assets.get');
    // @ts-expect-error a param has the wrong type
    await client.call('assets.get', { id: 5 });
    // @ts-expect-error session.hello is sent by connect()
    await client.call('session.hello', { token: 't', client: { app: 'script' }, protocol: 1 });

    const id = '00000000-0000-0000-0000-000000000000';
    // @ts-expect-error check-ins go through checkIn(), which insists on a base version
    await client.call('assets.checkin', { id, uploadId: 'u', baseVersion: 1 });
    // @ts-expect-error neither the document's version nor the lock
    await client.checkIn({ id, uploadId: 'u' });
    // @ts-expect-error a base version and the lock at once
    await client.checkIn({ id, uploadId: 'u', baseVersion: 1, underLock: true });
    // @ts-expect-error an override names the head it goes on top of
    await client.checkIn({ id, uploadId: 'u', override: { startedFrom: 1 } });
    await client.checkIn({ id, uploadId: 'u', baseVersion: 1, comment: 'from my document at v1' });
    await client.checkIn({ id, uploadId: 'u', baseVersion: 2, override: { startedFrom: 1 } });
    await client.checkIn({ id, uploadId: 'u', underLock: true, keepLocked: true });

    client.on('asset.locked', (data) => expectTypeOf(data).toEqualTypeOf<EventData<'asset.locked'>>());
    // @ts-expect-error unknown event
    client.on('asset.nope', () => {});
    // @ts-expect-error unknown event name in a subscription
    await client.subscribe(['asset.nope']);
  };
}

describe('checkIn', () => {
  const client = () => new BridgeClient({ serverUrl: 'http://127.0.0.1:1', token: 't', client: { app: 'script' }, WebSocket: class {} as never });
  const id = '00000000-0000-0000-0000-000000000000';

  it('refuses, before sending anything, a check-in that names neither its base version nor the lock', async () => {
    // Untyped callers (plain JavaScript, a cast) get the same rule at run time.
    for (const request of [
      { id, uploadId: 'u' },
      { id, uploadId: 'u', baseVersion: 1, underLock: true },
      { id, uploadId: 'u', baseVersion: -1 },
      { id, uploadId: 'u', baseVersion: 1.5 },
    ]) {
      const error = await client()
        .checkIn(request as never)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    expect(checkInParams({ id, uploadId: 'u', baseVersion: 0 })).toEqual({ id, uploadId: 'u', baseVersion: 0 });
    expect(checkInParams({ id, uploadId: 'u', underLock: true, keepLocked: true })).toEqual({ id, uploadId: 'u', keepLocked: true });
  });

  it('sends a check-in with a basis (here: not connected, so it fails as DISCONNECTED, not as invalid)', async () => {
    const error = await client()
      .checkIn({ id, uploadId: 'u', baseVersion: 1 }, { timeoutMs: 50 })
      .catch((e: unknown) => e);
    expect((error as { code: string }).code).not.toBe('VALIDATION_FAILED');
  });
});

describe('types', () => {
  it('come from the shared contract (checked by tsc)', () => {
    const client = new BridgeClient({ serverUrl: 'http://127.0.0.1:1', token: 't', client: { app: 'script' }, WebSocket: class {} as never });
    expect(typeof typedUsage(client)).toBe('function');
    expect(client.state).toBe('idle');
  });
});
