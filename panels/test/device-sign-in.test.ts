/**
 * Device sign-in ("Sign in with browser") against a real bridge: the shared poll loop
 * of @stockroom/bridge-client and the panel's state machine on top of it. The browser
 * approval itself is the bridge's page (tested with Chromium in photoshop-panel.test.ts);
 * here a decision is written where that page writes it, to reach every ending quickly.
 */
import { BridgeClient, requestDeviceCode, waitForDeviceToken, type DevicePoll } from '@stockroom/bridge-client';
import { runDeviceSignIn, type DeviceSignInState } from '@stockroom/panels-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestUser } from '../../bridge-server/test/support/server.ts';

let server: TestServer;
let person: TestUser;

beforeAll(async () => {
  server = await startTestServer({ env: { DEVICE_POLL_INTERVAL: '1s' } });
  person = await server.createUser({ name: 'Dana Designer' });
});
afterAll(async () => {
  await server?.destroy();
});

const deviceCodes = () => server.stockroom.database.prisma.deviceCode;
/** What the approval page does when the signed-in person clicks Approve or Deny. */
const decide = (userCode: string, status: 'approved' | 'denied') => deviceCodes().update({ where: { userCode }, data: { status, userId: person.id } });
/** Moves the server's idea of the last poll back, as if ms had passed. */
const age = (userCode: string, ms: number) => deviceCodes().update({ where: { userCode }, data: { lastPolledAt: new Date(Date.now() - ms) } });

function recordStates() {
  const states: DeviceSignInState[] = [];
  const waiting = () => states.find((s): s is DeviceSignInState & { phase: 'waiting' } => s.phase === 'waiting');
  return { states, waiting, onState: (state: DeviceSignInState) => states.push(state) };
}

describe('device sign-in', () => {
  it('waits while the code is pending, then receives a token of its own once it is approved', async () => {
    const { states, waiting, onState } = recordStates();
    const polls: DevicePoll['status'][] = [];
    const run = runDeviceSignIn({
      serverUrl: server.url,
      clientApp: 'photoshop',
      machine: 'STUDIO-MAC-3',
      onState,
      signal: new AbortController().signal,
      poll: {
        // Real time between polls (the server's 1 s); approve after the first pending answer.
        sleep: async (ms) => {
          await new Promise((resolve) => setTimeout(resolve, ms));
          if (polls.length === 1 && polls[0] === 'pending') await decide(waiting()!.userCode, 'approved');
        },
        fetch: async (input, init) => {
          const response = await fetch(input as string, init as RequestInit);
          if (String(input).endsWith('/auth/device/token'))
            polls.push(
              response.ok ? 'granted' : ((await response.clone().json()) as { error: string }).error === 'authorization_pending' ? 'pending' : 'failed',
            );
          return response;
        },
      },
    });
    const grant = await run;
    expect(polls).toEqual(['pending', 'granted']);
    expect(states.map((s) => s.phase)).toEqual(['requesting', 'waiting', 'approved']);
    const shown = waiting()!;
    expect(shown.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(shown.verificationUriComplete).toBe(`${server.url}/auth/device?code=${encodeURIComponent(shown.userCode)}`);
    expect(shown.intervalSec).toBe(1);
    expect(grant?.name).toBe('photoshop on STUDIO-MAC-3');
    expect(grant?.user.id).toBe(person.id);

    // The token signs in as that person.
    const client = new BridgeClient({
      serverUrl: server.url,
      token: grant!.token,
      client: { app: 'photoshop', appVersion: 'test', pluginVersion: 'test' },
      WebSocket: WebSocket as never,
      reconnect: false,
    });
    try {
      const hello = await client.connect();
      expect(hello.user.id).toBe(person.id);
    } finally {
      client.close();
    }
  });

  it('says so in a sentence when the sign-in is denied in the browser', async () => {
    const { states, waiting, onState } = recordStates();
    const grant = await runDeviceSignIn({
      serverUrl: server.url,
      clientApp: 'photoshop',
      machine: 'DENY-ME',
      onState,
      signal: new AbortController().signal,
      poll: { sleep: async () => void (await decide(waiting()!.userCode, 'denied')) },
    });
    expect(grant).toBeNull();
    expect(states.at(-1)).toEqual({ phase: 'failed', reason: 'denied', message: 'The sign-in was denied in the browser. If that was a mistake, try again.' });
  });

  it('says so when the code expired before anybody approved it', async () => {
    const { states, waiting, onState } = recordStates();
    const grant = await runDeviceSignIn({
      serverUrl: server.url,
      clientApp: 'photoshop',
      machine: 'TOO-LATE',
      onState,
      signal: new AbortController().signal,
      // Ten minutes pass (moved on in the database, not waited for); the panel's own clock has not noticed.
      poll: {
        sleep: async () => void (await deviceCodes().update({ where: { userCode: waiting()!.userCode }, data: { expiresAt: new Date(Date.now() - 1) } })),
      },
    });
    expect(grant).toBeNull();
    expect(states.at(-1)).toEqual({ phase: 'failed', reason: 'expired', message: 'The code expired before it was approved. Try again to get a new one.' });
  });

  it('gives up by its own clock once the code has expired, without asking the server', async () => {
    const code = await requestDeviceCode(server.url, { clientApp: 'figma', machine: 'CLOCK' });
    let now = Date.now();
    let polled = 0;
    const waited = waitForDeviceToken(server.url, code, {
      now: () => now,
      sleep: async (ms) => void (now += ms * 1000), // each wait jumps far ahead
      onPoll: () => polled++,
    });
    await expect(waited).rejects.toMatchObject({ name: 'DeviceSignInError', reason: 'expired' });
    expect(polled).toBe(0);
  });

  it('polls more slowly after slow_down and keeps the slower interval', async () => {
    const code = await requestDeviceCode(server.url, { clientApp: 'photoshop', machine: 'FAST-POLLER' });
    expect(code.interval).toBe(1);
    const sleeps: number[] = [];
    const answers: Array<[DevicePoll['status'], number]> = [];
    const grant = await waitForDeviceToken(server.url, code, {
      sleep: async (ms) => {
        sleeps.push(ms);
        // The first two waits are cut short (a clock that runs fast): the server answers slow_down.
        if (sleeps.length <= 2) return;
        if (sleeps.length === 4) await decide(code.userCode, 'approved');
        await age(code.userCode, ms); // the later waits take as long as asked
      },
      onPoll: (poll, intervalSec) => answers.push([poll.status, intervalSec]),
    });
    expect(answers).toEqual([
      ['pending', 1],
      ['slow_down', 6],
      ['pending', 6],
      ['granted', 6],
    ]);
    expect(sleeps).toEqual([1000, 1000, 6000, 6000]);
    expect(grant.name).toBe('photoshop on FAST-POLLER');
  });

  it('stops quietly when cancelled, and explains an unreachable server', async () => {
    const cancel = new AbortController();
    const { states, onState } = recordStates();
    const run = runDeviceSignIn({
      serverUrl: server.url,
      clientApp: 'photoshop',
      machine: 'CANCEL',
      onState: (state) => {
        onState(state);
        if (state.phase === 'waiting') cancel.abort();
      },
      signal: cancel.signal,
    });
    expect(await run).toBeNull();
    expect(states.map((s) => s.phase)).toEqual(['requesting', 'waiting']);

    const nobody = recordStates();
    const unreachable = 'http://127.0.0.1:9';
    expect(
      await runDeviceSignIn({ serverUrl: unreachable, clientApp: 'photoshop', machine: 'X', onState: nobody.onState, signal: new AbortController().signal }),
    ).toBeNull();
    expect(nobody.states.at(-1)).toEqual({
      phase: 'failed',
      reason: 'error',
      message: `No Stockroom server answered at ${unreachable}. Check the address and your network.`,
    });
  });
});
