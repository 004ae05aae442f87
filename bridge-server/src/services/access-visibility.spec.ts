import type { CollectionRole, EventName } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { admin, member } from '../../test/unit/fakes/actors.ts';

const C = '00000000-0000-4000-8000-00000000000c';
const OTHER = '00000000-0000-4000-8000-0000000000d0';
const policy = new AccessPolicy();
const sees = (actor: Actor, event: EventName, data: unknown) => policy.canSeeEvent(actor, { event, data });

const COLLECTION_EVENTS: EventName[] = ['asset.deleted', 'asset.locked', 'version.created', 'derivative.ready', 'job.failed', 'job.progress'];
const ASSET_EVENTS: EventName[] = ['asset.created', 'asset.updated'];

describe('AccessPolicy.canSeeEvent', () => {
  it.each(COLLECTION_EVENTS)('%s in a collection reaches its readers only', (event) => {
    for (const role of ['viewer', 'contributor', 'editor', 'manager'] as CollectionRole[]) {
      expect(sees(member({ [C]: role }), event, { assetId: 'a', collectionId: C }), role).toBe(true);
    }
    expect(sees(member(), event, { assetId: 'a', collectionId: C })).toBe(false);
    expect(sees(member({ [OTHER]: 'manager' }), event, { assetId: 'a', collectionId: C })).toBe(false);
    expect(sees(admin(), event, { assetId: 'a', collectionId: C })).toBe(true);
  });

  it.each(ASSET_EVENTS)('%s follows the collection of the asset it carries', (event) => {
    expect(sees(member({ [C]: 'viewer' }), event, { asset: { id: 'a', collectionId: C } })).toBe(true);
    expect(sees(member(), event, { asset: { id: 'a', collectionId: C } })).toBe(false);
    expect(sees(admin(), event, { asset: { id: 'a', collectionId: C } })).toBe(true);
  });

  it('shows events about unfiled content to every member', () => {
    expect(sees(member(), 'version.created', { assetId: 'a', collectionId: null })).toBe(true);
    expect(sees(member(), 'asset.updated', { asset: { id: 'a', collectionId: null } })).toBe(true);
  });

  it('judges by the event’s own collectionId before the asset it carries', () => {
    // An asset moved out of a collection: the event names where it was, readers of the new place do not see it.
    expect(sees(member(), 'asset.updated', { collectionId: C, asset: { id: 'a', collectionId: null } })).toBe(false);
    expect(sees(member({ [C]: 'viewer' }), 'asset.updated', { collectionId: null, asset: { id: 'a', collectionId: OTHER } })).toBe(true);
  });

  it('shows client events to administrators only, whatever the member’s roles', () => {
    for (const event of ['client.connected', 'client.disconnected'] as EventName[]) {
      expect(sees(admin(), event, { client: { sessionId: 's' } })).toBe(true);
      expect(sees(member({ [C]: 'manager' }), event, { client: { sessionId: 's' } })).toBe(false);
    }
  });

  it('narrows by token scopes: a read token sees content it may read, but no client events even for an administrator', () => {
    expect(sees(member({ [C]: 'viewer' }, ['read']), 'version.created', { assetId: 'a', collectionId: C })).toBe(true);
    expect(sees(admin(['read']), 'client.connected', { client: { sessionId: 's' } })).toBe(false);
    expect(sees(admin(['write']), 'client.connected', { client: { sessionId: 's' } })).toBe(false);
    expect(sees(admin(['admin']), 'client.connected', { client: { sessionId: 's' } })).toBe(true);
  });

  it('shows events that name no collection to everyone signed in', () => {
    expect(sees(member(), 'asset.unlocked', { assetId: 'a' })).toBe(true);
    expect(sees(member(), 'asset.unlocked', null)).toBe(true);
  });
});
