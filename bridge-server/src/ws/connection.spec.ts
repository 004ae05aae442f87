import { describe, expect, it } from 'vitest';
import { MEMBER_TOKEN, until, wsWorld } from '../../test/unit/fakes/ws.ts';

describe('Connection: from a frame to its answer', () => {
  it('answers a message it cannot read with the framing error under id null, and keeps the socket', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.request('{not json');
    socket.request({ id: 2, method: 'collections.list' });
    await until(() => socket.answer(2), 'answer');
    expect(socket.answer(null).error.code).toBe('PROTOCOL_ERROR');
    expect(socket.closedWith).toBeUndefined();
  });

  it('answers an unknown method with UNKNOWN_METHOD naming it', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.request({ id: 2, method: 'assets.teleport', params: {} });
    const answer = await until(() => socket.answer(2), 'answer');
    expect(answer.error).toMatchObject({ code: 'UNKNOWN_METHOD', data: { method: 'assets.teleport' } });
    expect(answer.error.message).toMatch(/assets\.teleport/);
  });

  it('validates parameters against the contract before a handler runs', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.request({ id: 2, method: 'assets.get', params: { id: 'not-a-uuid' } });
    const answer = await until(() => socket.answer(2), 'answer');
    expect(answer.error.code).toBe('VALIDATION_FAILED');
    expect(world.calls).toEqual([]);
  });

  it('answers over the per-connection message limit with RATE_LIMITED and the seconds to wait, and keeps the socket', async () => {
    const world = wsWorld({ messagesPer2s: 3 });
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    for (const id of [1, 2, 3]) socket.request({ id, method: 'collections.list' });
    await until(() => socket.frames.length === 4, 'three answers');
    expect(socket.answer(1).result).toBeDefined();
    expect(socket.answer(2).result).toBeDefined();
    expect(socket.answer(3).error).toMatchObject({ code: 'RATE_LIMITED', data: { retryAfterSeconds: expect.any(Number) } });
    expect(world.calls).toHaveLength(2);
    expect(socket.closedWith).toBeUndefined();
  });
});
