import { DeviceSignInError, requestDeviceCode, waitForDeviceToken, type DeviceTokenResponse, type WaitForDeviceTokenOptions } from '@stockroom/bridge-client';
import type { ClientApp } from '@stockroom/shared-types';
import { signInError } from '../errors/human-error.ts';

/** What the sign-in screen shows while a device sign-in runs. */
export type DeviceSignInState =
  | { phase: 'idle' }
  | { phase: 'requesting' }
  | {
      phase: 'waiting';
      userCode: string;
      verificationUri: string;
      /** The page with the code filled in: what "Open sign-in page" opens. */
      verificationUriComplete: string;
      /** When the code stops working (ms since the epoch). */
      expiresAt: number;
      /** Seconds between polls now (grows when the server says slow_down). */
      intervalSec: number;
    }
  | { phase: 'approved'; userName: string }
  | { phase: 'failed'; reason: 'expired' | 'denied' | 'invalid' | 'error'; message: string };

export interface DeviceSignInRun {
  serverUrl: string;
  clientApp: ClientApp;
  /** Shown to the person approving and part of the token's name ("photoshop on <machine>"). */
  machine: string;
  onState(state: DeviceSignInState): void;
  signal: AbortSignal;
  /** Test seams of the poll loop (fetch, sleep, clock). */
  poll?: Pick<WaitForDeviceTokenOptions, 'fetch' | 'sleep' | 'now'>;
}

const FAILURE_SENTENCES = {
  expired: 'The code expired before it was approved. Try again to get a new one.',
  denied: 'The sign-in was denied in the browser. If that was a mistake, try again.',
  invalid: 'This code cannot be used any more. Try again to get a new one.',
} as const;

/**
 * One device sign-in from code to token, reported as screen states: requesting →
 * waiting (the code) → approved, or failed with a sentence for the person. Resolves
 * with the grant, or null when it failed or was cancelled (the signal).
 */
export async function runDeviceSignIn(run: DeviceSignInRun): Promise<DeviceTokenResponse | null> {
  const { serverUrl, signal, onState } = run;
  const report = (state: DeviceSignInState) => {
    if (!signal.aborted) onState(state);
  };
  report({ phase: 'requesting' });
  try {
    const code = await requestDeviceCode(
      serverUrl,
      { clientApp: run.clientApp, machine: run.machine },
      { signal, ...(run.poll?.fetch ? { fetch: run.poll.fetch } : {}) },
    );
    const now = run.poll?.now ?? Date.now;
    let waiting: DeviceSignInState & { phase: 'waiting' } = {
      phase: 'waiting',
      userCode: code.userCode,
      verificationUri: code.verificationUri,
      verificationUriComplete: code.verificationUriComplete,
      expiresAt: now() + code.expiresIn * 1000,
      intervalSec: code.interval,
    };
    report(waiting);
    const grant = await waitForDeviceToken(serverUrl, code, {
      ...run.poll,
      signal,
      onPoll: (_poll, intervalSec) => {
        if (intervalSec === waiting.intervalSec) return;
        waiting = { ...waiting, intervalSec };
        report(waiting);
      },
    });
    report({ phase: 'approved', userName: grant.user.name });
    return grant;
  } catch (error) {
    if (signal.aborted) return null;
    if (error instanceof DeviceSignInError) report({ phase: 'failed', reason: error.reason, message: FAILURE_SENTENCES[error.reason] });
    else report({ phase: 'failed', reason: 'error', message: signInError(error, serverUrl) });
    return null;
  }
}
