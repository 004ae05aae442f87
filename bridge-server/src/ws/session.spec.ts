import { PROTOCOL_VERSION } from '@stockroom/shared-types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, BROKEN_TOKEN, deferred, EXPIRED_TOKEN, helloParams, MEMBER_ID, MEMBER_TOKEN, settle, until, wsWorld } from '../../test/unit/fakes/ws.ts';

/* Signing in, over a fake socket: session.hello's checks and the client session (session.ts), and the rules before sign-in (hello-gate.ts). */

afterEach(() => {
  vi.useRealTimers();
});

/** Opens a connection, says hello with these params and waits for the answer and, when refused, the close. */
async function hello(params: unknown) {
  const world = wsWorld();
  const { socket, connection } = world.open();
  socket.request({ id: 'h', method: 'session.hello', params });
  const answer = await until(() => socket.answer('h'), 'hello answer');
  return { world, socket, connection, answer };
}

describe('session.hello', () => {
  it('signs in with a valid token: the session, the user and the protocol in the answer, the client session recorded', async () => {
    const { world, socket, connection, answer } = await hello(helloParams(MEMBER_TOKEN));
    expect(answer.result).toEqual({
      sessionId: 'session-1',
      user: { id: MEMBER_ID, name: 'Mo', email: 'mo@example.com', role: 'member', createdAt: '2026-01-02T03:04:05.000Z', disabledAt: null },
      protocol: PROTOCOL_VERSION,
      serverVersion: expect.any(String),
      serverTime: expect.any(String),
    });
    expect(Math.abs(Date.parse(answer.result.serverTime) - Date.now())).toBeLessThan(60_000);
    expect(world.connected).toEqual([
      expect.objectContaining({
        sessionId: 'session-1',
        user: { id: MEMBER_ID, name: 'Mo', email: 'mo@example.com' },
        client: { app: 'photoshop', appVersion: '26.1', pluginVersion: '1.4.0', machine: 'studio-7' },
        address: '203.0.113.7',
      }),
    ]);
    expect([connection.userId, connection.tokenId]).toEqual([MEMBER_ID, 't-member']);
    expect(socket.closedWith).toBeUndefined();
  });

  it('refuses parameters outside the contract with VALIDATION_FAILED naming the field, and closes with 4401', async () => {
    const { world, socket, answer } = await hello({ token: MEMBER_TOKEN, client: { app: 'photoshop' } });
    expect(answer.error.code).toBe('VALIDATION_FAILED');
    expect(answer.error.message).toMatch(/protocol/);
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'invalid hello' });
    expect(world.connected).toEqual([]);
  });

  it('refuses another protocol version with PROTOCOL_ERROR naming the server’s, and closes with 4401', async () => {
    const { world, socket, answer } = await hello(helloParams(MEMBER_TOKEN, PROTOCOL_VERSION + 1));
    expect(answer.error.code).toBe('PROTOCOL_ERROR');
    expect(answer.error.data).toEqual({ serverProtocol: PROTOCOL_VERSION });
    expect(answer.error.message).toMatch(/Update the plugin or the server/);
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'protocol mismatch' });
    expect(world.connected).toEqual([]);
  });

  it.each([
    ['an unknown token', 'sr_nobody_knows_this_token_000000', undefined],
    ['an expired token', EXPIRED_TOKEN, { reason: 'expired' }],
  ])('refuses %s with the token check’s UNAUTHENTICATED, and closes with 4401', async (_what, token, data) => {
    const { world, socket, connection, answer } = await hello(helloParams(token));
    expect(answer.error.code).toBe('UNAUTHENTICATED');
    expect(answer.error.data).toEqual(data);
    expect(answer.error.message).toMatch(/Sign in again/);
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'authentication failed' });
    expect(world.connected).toEqual([]);
    expect(connection.userId).toBeUndefined();
  });

  it('answers a token check that failed on the server’s side with INTERNAL and a reference, logged without the token', async () => {
    const { world, socket, answer } = await hello(helloParams(BROKEN_TOKEN));
    expect(answer.error.code).toBe('INTERNAL');
    expect(answer.error.message).not.toMatch(/database/);
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'authentication failed' });
    const logged = world.logs.find((l) => l.reference === answer.error.data.reference);
    expect(logged).toMatchObject({ method: 'session.hello', err: { message: 'connection to the database lost' } });
    expect(JSON.stringify(world.logs)).not.toContain(BROKEN_TOKEN);
  });

  it('refuses a second hello with PROTOCOL_ERROR and keeps the first session', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.request({ id: 2, method: 'session.hello', params: helloParams(ADMIN_TOKEN) });
    socket.request({ id: 3, method: 'session.whoami' });
    await until(() => socket.answer(3), 'whoami answer');
    expect(socket.answer(2).error.code).toBe('PROTOCOL_ERROR');
    expect(socket.answer(2).error.message).toMatch(/open a new connection/);
    expect(socket.answer(3).result.user.email).toBe('mo@example.com');
    expect(socket.closedWith).toBeUndefined();
    expect(world.connected).toHaveLength(1);
  });
});

describe('session.whoami', () => {
  it('answers the session, user and client of this connection', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(ADMIN_TOKEN);
    socket.request({ id: 2, method: 'session.whoami', params: {} });
    const answer = await until(() => socket.answer(2), 'whoami answer');
    expect(answer.result).toEqual({
      sessionId: socket.answer('hello').result.sessionId,
      user: socket.answer('hello').result.user,
      client: { app: 'photoshop', appVersion: '26.1', pluginVersion: '1.4.0', machine: 'studio-7' },
    });
  });
});

describe('the client session’s end', () => {
  it('is recorded once when the socket closes', async () => {
    const world = wsWorld();
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.gone();
    socket.emit('close');
    await settle();
    expect(world.disconnected).toEqual(world.connected);
  });

  it('is recorded at once for a socket that closed while its hello was being checked, which gets no answer', async () => {
    const world = wsWorld();
    const recording = deferred();
    world.clients.gate = recording.promise;
    const { socket } = world.open();
    socket.request({ id: 1, method: 'session.hello', params: helloParams(MEMBER_TOKEN) });
    // The token is checked (its roles read); the client session is being recorded.
    await until(() => world.grantLoads.count > 0, 'token checked');
    socket.gone();
    recording.resolve();
    await until(() => world.disconnected.length > 0, 'disconnect recorded');
    expect(world.disconnected).toEqual(world.connected);
    expect(socket.frames).toEqual([]);
  });

  it('is not recorded for a socket that never signed in', async () => {
    const world = wsWorld();
    const { socket } = world.open();
    socket.gone();
    await settle();
    expect(world.disconnected).toEqual([]);
  });

  it('is logged, not thrown, when it cannot be recorded', async () => {
    const world = wsWorld();
    world.clients.disconnected = async () => {
      throw new Error('database away');
    };
    const { socket } = await world.signedIn(MEMBER_TOKEN);
    socket.gone();
    await until(() => world.logs.find((l) => l.msg === 'could not record a disconnect'), 'warning');
  });
});

describe('before session.hello', () => {
  it('refuses a first request that is not session.hello with UNAUTHENTICATED under its id, and closes with 4401', async () => {
    const world = wsWorld();
    const { socket } = world.open();
    socket.request({ id: 1, method: 'collections.list', params: {} });
    await until(() => socket.closedWith, 'close');
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'authenticate first' });
    expect(socket.answer(1).error.code).toBe('UNAUTHENTICATED');
    expect(socket.answer(1).error.message).toMatch(/session\.hello/);
    expect(world.calls).toEqual([]);
  });

  it('answers requests pipelined behind a hello once it is answered, after its answer, as the signed-in user', async () => {
    const world = wsWorld();
    const recording = deferred();
    world.clients.gate = recording.promise;
    const { socket } = world.open();
    socket.request({ id: 1, method: 'session.hello', params: helloParams(ADMIN_TOKEN) });
    socket.request({ id: 2, method: 'session.whoami' });
    socket.request({ id: 3, method: 'collections.list', params: {} });
    socket.request({ id: 'four', method: 'events.subscribe', params: {} });
    await settle();
    expect([socket.frames, world.calls, world.connected]).toEqual([[], [], []]);
    expect(socket.closedWith).toBeUndefined();
    recording.resolve();
    await until(() => socket.answer('four'), 'the last answer');
    await until(() => socket.frames.length === 4, 'every answer');
    // Answers are matched by id and may overtake each other; the hello's comes first.
    expect(socket.frames[0].id).toBe(1);
    expect(socket.answer(1).result.user.email).toBe('al@example.com');
    expect(socket.answer(2).result.sessionId).toBe(socket.answer(1).result.sessionId);
    expect(socket.answer(3).result).toEqual({ collections: [] });
    expect(socket.answer('four').result.events.length).toBeGreaterThan(0);
    expect(socket.closedWith).toBeUndefined();
  });

  it('runs nothing that was pipelined behind a hello that failed, and closes with 4401', async () => {
    const world = wsWorld();
    const { socket } = world.open();
    socket.request({ id: 1, method: 'session.hello', params: helloParams(EXPIRED_TOKEN) });
    socket.request({ id: 2, method: 'collections.list', params: {} });
    await until(() => socket.closedWith, 'close');
    expect(socket.closedWith).toEqual({ code: 4401, reason: 'authentication failed' });
    expect(socket.answer(1).error.code).toBe('UNAUTHENTICATED');
    // The pipelined request would have been answered by now.
    await settle();
    expect(socket.answer(2)).toBeUndefined();
    expect(world.calls).toEqual([]);
    expect(world.connected).toEqual([]);
  });

  it('closes a socket that has not said hello within the deadline with 4408, and cuts it off when it does not answer the close', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const world = wsWorld({ helloTimeoutMs: 10_000 });
    const { socket } = world.open();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(socket.closedWith).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(socket.closedWith).toEqual({ code: 4408, reason: 'session.hello not sent in time' });
    expect(socket.frames).toEqual([
      { id: null, error: expect.objectContaining({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/within 10 seconds/) }) },
    ]);
    expect(socket.terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(socket.terminated).toBe(true);
  });

  it('lets a hello that is still being checked at the deadline finish, and keeps a signed-in socket open past it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const world = wsWorld({ helloTimeoutMs: 10_000 });
    const recording = deferred();
    world.clients.gate = recording.promise;
    const { socket } = world.open();
    await vi.advanceTimersByTimeAsync(9_000);
    socket.request({ id: 1, method: 'session.hello', params: helloParams(ADMIN_TOKEN) });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(socket.closedWith).toBeUndefined();
    recording.resolve();
    await until(() => socket.answer(1), 'hello answer');
    expect(socket.answer(1).result.sessionId).toBe('session-1');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(socket.closedWith).toBeUndefined();
    expect(socket.frames).toHaveLength(1);
  });

  it('stops the deadline when the socket closes first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const world = wsWorld({ helloTimeoutMs: 10_000 });
    const { socket } = world.open();
    socket.gone();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(socket.frames).toEqual([]);
    expect(socket.terminated).toBe(false);
  });
});
