import { EVENT_NAMES, type EventName } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import { admin, member } from '../../test/unit/fakes/actors.ts';
import { ADMIN_TOKEN, MEMBER_ID, MEMBER_TOKEN, settle, until, wsWorld } from '../../test/unit/fakes/ws.ts';
import { AccessPolicy } from '../services/access.ts';
import { Subscriptions } from './subscriptions.ts';

const C = '00000000-0000-4000-8000-00000000000c';
const event = (name: EventName, data: unknown) => ({ id: 1n, event: name, data });
const unfiled = event('version.created', { assetId: 'a', collectionId: null });

describe('Subscriptions', () => {
  it('sends nothing before events.subscribe', () => {
    expect(new Subscriptions(new AccessPolicy()).sends(admin(), unfiled)).toBe(false);
  });

  it('subscribes to every event without a list, and to the named ones with one; each call replaces the last', () => {
    const subscriptions = new Subscriptions(new AccessPolicy());
    expect(subscriptions.subscribe({})).toEqual({ events: [...EVENT_NAMES] });
    expect(subscriptions.sends(admin(), event('asset.locked', { assetId: 'a', collectionId: null }))).toBe(true);
    expect(subscriptions.subscribe({ events: ['version.created'] })).toEqual({ events: ['version.created'] });
    expect(subscriptions.sends(admin(), unfiled)).toBe(true);
    expect(subscriptions.sends(admin(), event('asset.locked', { assetId: 'a', collectionId: null }))).toBe(false);
    expect(subscriptions.subscribe({ events: [] })).toEqual({ events: [] });
    expect(subscriptions.sends(admin(), unfiled)).toBe(false);
  });

  it('refuses an event name outside the contract with VALIDATION_FAILED and keeps the last subscription', () => {
    const subscriptions = new Subscriptions(new AccessPolicy());
    subscriptions.subscribe({ events: ['version.created'] });
    expect(() => subscriptions.subscribe({ events: ['asset.teleported'] })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(subscriptions.sends(admin(), unfiled)).toBe(true);
  });

  it('sends of what is subscribed only what the access policy lets the actor see', () => {
    const subscriptions = new Subscriptions(new AccessPolicy());
    subscriptions.subscribe({});
    const inC = event('version.created', { assetId: 'a', collectionId: C });
    expect(subscriptions.sends(member(), inC)).toBe(false);
    expect(subscriptions.sends(member({ [C]: 'viewer' }), inC)).toBe(true);
    expect(subscriptions.sends(member({ [C]: 'viewer' }, ['read']), inC)).toBe(true);
    const connectedClient = event('client.connected', { client: { sessionId: 's' } });
    expect(subscriptions.sends(member(), connectedClient)).toBe(false);
    expect(subscriptions.sends(admin(), connectedClient)).toBe(true);
  });
});

describe('live events on a connection', () => {
  it('reach a signed-in connection only after events.subscribe, filtered by its list and by what its user may read', async () => {
    const world = wsWorld();
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    const { socket, connection } = await world.signedIn(MEMBER_TOKEN);
    connection.deliver(unfiled);
    await settle();
    expect(socket.events()).toEqual([]);
    socket.request({ id: 2, method: 'events.subscribe', params: { events: ['version.created', 'asset.locked', 'client.connected'] } });
    await until(() => socket.answer(2), 'subscribe answer');
    const other = '00000000-0000-4000-8000-0000000000d0';
    for (const e of [
      event('version.created', { assetId: 'a', collectionId: C, number: 2 }),
      event('version.created', { assetId: 'b', collectionId: other, number: 2 }),
      event('asset.unlocked', { assetId: 'a', collectionId: C }),
      event('client.connected', { client: { sessionId: 's' } }),
      event('asset.locked', { assetId: 'a', collectionId: null }),
    ]) {
      connection.deliver(e);
    }
    await settle();
    expect(socket.events()).toEqual([
      { event: 'version.created', data: { assetId: 'a', collectionId: C, number: 2 } },
      { event: 'asset.locked', data: { assetId: 'a', collectionId: null } },
    ]);
  });

  it('do not reach a socket that has not signed in', async () => {
    const world = wsWorld();
    const { socket, connection } = world.open();
    connection.deliver(unfiled);
    await settle();
    expect(socket.frames).toEqual([]);
  });

  it('reach an administrator’s connection whatever the collection, client events included', async () => {
    const world = wsWorld();
    const { socket, connection } = await world.subscribed(ADMIN_TOKEN);
    connection.deliver(event('version.created', { assetId: 'a', collectionId: C }));
    connection.deliver(event('client.connected', { client: { sessionId: 's' } }));
    await settle();
    expect(socket.events().map((e) => e.event)).toEqual(['version.created', 'client.connected']);
  });
});
