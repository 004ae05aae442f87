import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, MEMBER_ID, MEMBER_TOKEN, until, wsWorld } from '../../test/unit/fakes/ws.ts';
import { applyAccessEvent } from './access-events.ts';

const C = '00000000-0000-4000-8000-00000000000c';
const internal = (event: string, data: unknown) => ({ id: 1n, event: event as never, data });

async function twoConnections() {
  const world = wsWorld();
  const member = await world.subscribed(MEMBER_TOKEN);
  const admin = await world.signedIn(ADMIN_TOKEN);
  return { world, member, admin, connections: [member.connection, admin.connection] };
}

describe('applyAccessEvent', () => {
  it('closes the connections of a revoked token with 4401, and only those', async () => {
    const { world, member, admin, connections } = await twoConnections();
    expect(applyAccessEvent(internal('token.revoked', { tokenIds: ['t-member', 't-unknown'] }), connections, world.logger)).toBe(true);
    expect(member.socket.closedWith).toEqual({ code: 4401, reason: 'token revoked' });
    expect(admin.socket.closedWith).toBeUndefined();
  });

  it('closes the connections of a disabled or demoted account with 4401 and says which', async () => {
    for (const [reason, said] of [
      [undefined, 'account disabled'],
      ['role', 'role changed'],
    ] as const) {
      const { world, member, admin, connections } = await twoConnections();
      expect(applyAccessEvent(internal('user.disabled', { userId: MEMBER_ID, reason }), connections, world.logger)).toBe(true);
      expect(member.socket.closedWith).toEqual({ code: 4401, reason: said });
      expect(admin.socket.closedWith).toBeUndefined();
    }
  });

  it('reloads every connection’s roles on grants.changed', async () => {
    const { world, member, connections } = await twoConnections();
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    expect(applyAccessEvent(internal('grants.changed', {}), connections, world.logger)).toBe(true);
    member.connection.deliver({ id: 2n, event: 'version.created', data: { assetId: 'a', collectionId: C } });
    await until(() => member.socket.events().length > 0, 'event after reload');
  });

  it('leaves every other event to be delivered', async () => {
    const { world, connections } = await twoConnections();
    expect(applyAccessEvent(internal('version.created', { assetId: 'a', collectionId: null }), connections, world.logger)).toBe(false);
  });
});
