import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, deferred, MEMBER_ID, MEMBER_TOKEN, settle, until, wsWorld } from '../../test/unit/fakes/ws.ts';

const C = '00000000-0000-4000-8000-00000000000c';
const inC = { id: 7n, event: 'version.created' as const, data: { assetId: 'a', collectionId: C } };

async function subscribedMember() {
  const world = wsWorld();
  return { world, ...(await world.subscribed(MEMBER_TOKEN)) };
}

describe('the roles a connection is judged by', () => {
  it('are read afresh before every request: a grant given elsewhere applies to the very next call', async () => {
    const { world, socket } = await subscribedMember();
    socket.request({ id: 1, method: 'collections.list' });
    await until(() => socket.answer(1), 'first answer');
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'editor' }]);
    socket.request({ id: 2, method: 'collections.list' });
    await until(() => socket.answer(2), 'second answer');
    expect(world.calls.map((c) => c.grants)).toEqual([{}, { [C]: 'editor' }]);
  });

  it('are reloaded before the answer to a method that changes the caller’s own roles, so the next event is judged by them', async () => {
    const { world, socket, connection } = await subscribedMember();
    socket.request({ id: 1, method: 'grants.set', params: { collectionId: C, subjectType: 'user', subjectId: MEMBER_ID, role: 'viewer' } });
    await until(() => socket.answer(1), 'grants.set answer');
    connection.deliver(inC);
    await settle();
    expect(socket.events()).toEqual([{ event: 'version.created', data: inC.data }]);
    expect(world.calls.map((c) => c.method)).toEqual(['grants.set']);
  });

  it('after grants.changed: events that arrive during the reload wait for it and are judged by the new roles, in order', async () => {
    const { world, socket, connection } = await subscribedMember();
    const slowLoad = deferred();
    world.grantLoads.gate = slowLoad.promise;
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    const reloaded = connection.refreshGrants();
    connection.deliver(inC);
    connection.deliver({ ...inC, id: 8n, data: { assetId: 'b', collectionId: C } });
    await settle();
    expect(socket.events()).toEqual([]);
    slowLoad.resolve();
    await reloaded;
    await settle();
    expect(socket.events().map((e) => e.data.assetId)).toEqual(['a', 'b']);
  });

  it('after grants.changed: a grant taken away hides the events that arrive during the reload', async () => {
    const world = wsWorld();
    world.grants.set(MEMBER_ID, [{ collectionId: C, role: 'viewer' }]);
    const { socket, connection } = await world.subscribed(MEMBER_TOKEN);
    connection.deliver(inC);
    await settle();
    expect(socket.events()).toHaveLength(1);
    const slowLoad = deferred();
    world.grantLoads.gate = slowLoad.promise;
    world.grants.set(MEMBER_ID, []);
    const reloaded = connection.refreshGrants();
    connection.deliver({ ...inC, id: 8n });
    slowLoad.resolve();
    await reloaded;
    await settle();
    expect(socket.events()).toHaveLength(1);
  });

  it('that cannot be loaded end the connection with 4401, logged', async () => {
    const { world, socket, connection } = await subscribedMember();
    world.grantLoads.fail = true;
    await expect(connection.refreshGrants()).rejects.toThrow(/grants table unavailable/);
    await until(() => socket.closedWith, 'close');
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'roles unavailable' });
    expect(world.logs.find((l) => l.msg === 'could not reload the roles of a connection; closing it')?.level).toBe(40);
    connection.deliver({ ...inC, data: { assetId: 'a', collectionId: null } });
    await settle();
    expect(socket.events()).toEqual([]);
  });

  it('are not loaded for an administrator, who has no collection roles', async () => {
    const world = wsWorld();
    const { socket, connection } = await world.signedIn(ADMIN_TOKEN);
    const atSignIn = world.grantLoads.count;
    socket.request({ id: 1, method: 'collections.list' });
    await until(() => socket.answer(1), 'answer');
    await connection.refreshGrants();
    expect(world.grantLoads.count).toBe(atSignIn);
  });
});
