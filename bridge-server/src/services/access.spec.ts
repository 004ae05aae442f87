import type { CollectionRole } from '@stockroom/shared-types';
import { StockroomError } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import { NO_TX, inMemoryDb } from '../../test/unit/fakes/in-memory-db.ts';
import { AccessPolicy, type Action } from './access.ts';
import type { Actor } from './actor.ts';
import { admin, member } from '../../test/unit/fakes/actors.ts';

const C = '00000000-0000-4000-8000-00000000000c';
const policy = new AccessPolicy();

const COLLECTION_ACTIONS: Array<[Action, CollectionRole]> = [
  ['asset.read', 'viewer'],
  ['collection.read', 'viewer'],
  ['asset.comment', 'viewer'],
  ['asset.create', 'contributor'],
  ['asset.edit', 'editor'],
  ['asset.checkout', 'editor'],
  ['asset.delete', 'editor'],
  ['asset.review', 'editor'],
  ['asset.share', 'editor'],
  ['asset.forceUnlock', 'manager'],
  ['collection.manage', 'manager'],
  ['collection.create', 'manager'],
];
const ROLES: CollectionRole[] = ['viewer', 'contributor', 'editor', 'manager'];
const ALL_ACTIONS: Action[] = [...COLLECTION_ACTIONS.map(([a]) => a), 'placement.report', 'token.manage', 'admin.read', 'admin.manage'];

describe('AccessPolicy', () => {
  it('lets an administrator do everything, everywhere', () => {
    for (const action of ALL_ACTIONS) {
      expect(policy.can(admin(), action, { collectionId: C })).toBe(true);
      expect(policy.can(admin(), action, { collectionId: null })).toBe(true);
    }
  });

  it.each(COLLECTION_ACTIONS)('%s in a collection needs at least %s', (action, needed) => {
    for (const role of ROLES) {
      const allowed = ROLES.indexOf(role) >= ROLES.indexOf(needed);
      expect(policy.can(member({ [C]: role }), action, { collectionId: C }), `${role} → ${action}`).toBe(allowed);
    }
    expect(policy.can(member(), action, { collectionId: C })).toBe(false);
  });

  it('gives members the admin actions never, and placements and their own tokens always', () => {
    expect(policy.can(member({ [C]: 'manager' }), 'admin.read')).toBe(false);
    expect(policy.can(member({ [C]: 'manager' }), 'admin.manage')).toBe(false);
    expect(policy.can(member(), 'placement.report')).toBe(true);
    expect(policy.can(member(), 'token.manage')).toBe(true);
  });

  it('treats unfiled assets as the team inbox: shared work, deletion and sharing by the creator, force-unlock by admins', () => {
    const mo = member();
    for (const action of ['asset.read', 'asset.create', 'asset.edit', 'asset.checkout', 'asset.comment', 'asset.review'] as Action[]) {
      expect(policy.can(mo, action, { collectionId: null }), action).toBe(true);
    }
    for (const action of ['asset.delete', 'asset.share'] as Action[]) {
      expect(policy.can(mo, action, { collectionId: null, createdById: 'u-member' }), `${action} own`).toBe(true);
      expect(policy.can(mo, action, { collectionId: null, createdById: 'u-other' }), `${action} other`).toBe(false);
      expect(policy.can(mo, action, { collectionId: null }), `${action} unknown creator`).toBe(false);
    }
    expect(policy.can(mo, 'asset.forceUnlock', { collectionId: null })).toBe(false);
    expect(policy.can(mo, 'collection.create', { collectionId: null })).toBe(false);
    expect(policy.can(mo, 'collection.manage', { collectionId: null })).toBe(false);
  });

  it('narrows everything by the token’s scopes: read < write < admin, * is admin', () => {
    expect(policy.can(member({ [C]: 'manager' }, ['read']), 'asset.read', { collectionId: C })).toBe(true);
    expect(policy.can(member({ [C]: 'manager' }, ['read']), 'asset.edit', { collectionId: C })).toBe(false);
    expect(policy.can(member({ [C]: 'manager' }, ['write']), 'asset.forceUnlock', { collectionId: C })).toBe(true);
    expect(policy.can(admin(['write']), 'admin.read')).toBe(false);
    expect(policy.can(admin(['admin']), 'admin.manage')).toBe(true);
    expect(policy.can(admin(['*']), 'admin.manage')).toBe(true);
    expect(policy.can(member({}, []), 'placement.report')).toBe(false);
    expect(policy.can(member({}, ['unknown']), 'asset.read', { collectionId: null })).toBe(false);
  });

  it('asserts with NOT_FOUND when the caller may not even read (the resource’s own answer, or the collection’s)', () => {
    const hidden = new StockroomError('NOT_FOUND', 'no such asset', { assetId: 'a' });
    expect(() => policy.assert(member(), 'asset.edit', { collectionId: C, hiddenAs: hidden })).toThrow(hidden);
    try {
      policy.assert(member(), 'asset.edit', { collectionId: C });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'NOT_FOUND', data: { collectionId: C } });
    }
  });

  it('asserts with FORBIDDEN, the action and a sentence saying what to do, when the caller may read but not act', () => {
    const cases: Array<[Actor, Action, RegExp]> = [
      [member({ [C]: 'editor' }), 'asset.forceUnlock', /manager of the collection or an administrator/],
      [member({ [C]: 'viewer' }), 'collection.manage', /Only a manager of this collection/],
      [member({ [C]: 'viewer' }), 'collection.create', /Top-level collections are created by administrators/],
      [member({ [C]: 'viewer' }), 'asset.edit', /permission to asset edit here/],
      [member(), 'admin.read', /needs an administrator account/],
      [member({ [C]: 'manager' }, ['read']), 'asset.edit', /token’s scopes do not allow that/],
    ];
    for (const [actor, action, message] of cases) {
      try {
        policy.assert(actor, action, { collectionId: C });
        expect.unreachable(action);
      } catch (error) {
        expect(error, action).toMatchObject({ code: 'FORBIDDEN', data: { action } });
        expect((error as Error).message).toMatch(message);
      }
    }
    expect(() => policy.assert(member({ [C]: 'editor' }), 'asset.edit', { collectionId: C })).not.toThrow();
  });

  it('answers roles, managers and readable collections for lists', () => {
    expect(policy.roleIn(admin(), C)).toBe('manager');
    expect(policy.roleIn(member({ [C]: 'editor' }), C)).toBe('editor');
    expect(policy.roleIn(member(), C)).toBeUndefined();
    expect(policy.managesAnyCollection(admin())).toBe(true);
    expect(policy.managesAnyCollection(member({ [C]: 'manager' }))).toBe(true);
    expect(policy.managesAnyCollection(member({ [C]: 'editor' }))).toBe(false);
    expect(policy.readableCollectionIds(admin())).toBe('all');
    expect(policy.readableCollectionIds(member({ [C]: 'viewer', x: 'editor' }))).toEqual([C, 'x']);
  });

  it('loads a user’s grants: direct and through groups, the strongest role per collection wins', async () => {
    const rows = [
      { collectionId: C, role: 'viewer' as const },
      { collectionId: C, role: 'manager' as const },
      { collectionId: C, role: 'editor' as const },
      { collectionId: 'd', role: 'contributor' as const },
    ];
    const loading = new AccessPolicy(inMemoryDb(), { ofUser: async (_db, userId) => (userId === 'u-member' ? rows : []) });
    expect(await loading.grantsOf('u-member')).toEqual(
      new Map([
        [C, 'manager'],
        ['d', 'contributor'],
      ]),
    );
    expect(await loading.grantsOf('u-nobody', NO_TX)).toEqual(new Map());
    await expect(new AccessPolicy().grantsOf('u-member')).rejects.toThrow(/no database/);
  });
});
