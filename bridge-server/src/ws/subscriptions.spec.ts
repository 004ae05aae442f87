import { EVENT_NAMES, type EventName } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import { admin, member } from '../../test/unit/fakes/actors.ts';
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
