// Compile-time checks (run by `tsc -p bridge-client`): calls and events are typed from
// the shared contract. The function is never run; each @ts-expect-error fails the
// type-check if the line it marks stops being an error.
import type { Asset, EventData } from '@stockroom/shared-types';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { BridgeClient } from '../../src/index.ts';

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

    client.on('asset.locked', (data) => expectTypeOf(data).toEqualTypeOf<EventData<'asset.locked'>>());
    // @ts-expect-error unknown event
    client.on('asset.nope', () => {});
    // @ts-expect-error unknown event name in a subscription
    await client.subscribe(['asset.nope']);
  };
}

describe('types', () => {
  it('come from the shared contract (checked by tsc)', () => {
    const client = new BridgeClient({ serverUrl: 'http://127.0.0.1:1', token: 't', client: { app: 'script' }, WebSocket: class {} as never });
    expect(typeof typedUsage(client)).toBe('function');
    expect(client.state).toBe('idle');
  });
});
