/**
 * Device sign-in (the bridge's RFC 8628-style flow, docs/protocol.md "Sign-in"): ask for
 * a code, show the user code, poll until a signed-in person approves it in a browser.
 * Plain fetch and timers only, so panels (UXP), the Figma UI, browsers and Node share it.
 */
import {
  ERROR_CODES,
  deviceCodeResponseSchema,
  deviceTokenErrorSchema,
  deviceTokenResponseSchema,
  StockroomError,
  type DeviceCodeRequest,
  type DeviceCodeResponse,
  type DeviceTokenResponse,
  type ErrorCode,
} from '@stockroom/shared-types';
import { abortReason, throwIfAborted } from './upload/abort.ts';

export type { DeviceCodeResponse, DeviceTokenResponse } from '@stockroom/shared-types';

/** How a device sign-in ended without a token; the flow cannot go on and must start again. */
export type DeviceSignInFailure = 'expired' | 'denied' | 'invalid';

export class DeviceSignInError extends Error {
  constructor(
    readonly reason: DeviceSignInFailure,
    message: string,
  ) {
    super(message);
    this.name = 'DeviceSignInError';
  }
}

/** One answer of POST /auth/device/token. */
export type DevicePoll =
  | { status: 'granted'; grant: DeviceTokenResponse }
  | { status: 'pending' }
  | { status: 'slow_down'; intervalSec: number }
  | { status: 'failed'; reason: DeviceSignInFailure; message: string };

export interface DeviceFlowOptions {
  /** Another fetch (tests, a host with its own); the global one by default. */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface WaitForDeviceTokenOptions extends DeviceFlowOptions {
  /** Called with every poll's answer and the interval used from now on (it grows after slow_down). */
  onPoll?: (poll: DevicePoll, intervalSec: number) => void;
  /** Waits between polls; a timer by default (tests pass one that moves time on instead). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock for the code's expiry (ms since the epoch). */
  now?: () => number;
}

const FAILURES = { expired_token: 'expired', access_denied: 'denied', invalid_grant: 'invalid' } as const;
/** RFC 8628 §3.5: on slow_down the interval grows by 5 s (when the server does not name one). */
const SLOW_DOWN_STEP_SEC = 5;

/** Asks the bridge for a device code and a user code. */
export async function requestDeviceCode(serverUrl: string, request: DeviceCodeRequest, options: DeviceFlowOptions = {}): Promise<DeviceCodeResponse> {
  const response = await post(serverUrl, '/auth/device/code', request, options);
  const body = await readJson(response);
  if (!response.ok) throw errorFromBody(response.status, body, 'The server did not hand out a sign-in code.');
  return deviceCodeResponseSchema.parse(body);
}

/** Polls once. Network trouble and server errors throw a StockroomError; grant errors are answers. */
export async function pollDeviceToken(serverUrl: string, deviceCode: string, options: DeviceFlowOptions = {}): Promise<DevicePoll> {
  const response = await post(serverUrl, '/auth/device/token', { deviceCode }, options);
  const body = await readJson(response);
  if (response.ok) return { status: 'granted', grant: deviceTokenResponseSchema.parse(body) };
  const grantError = response.status === 400 ? deviceTokenErrorSchema.safeParse(body) : null;
  if (!grantError?.success) throw errorFromBody(response.status, body, 'The server could not check the sign-in code.');
  const { error, error_description: message, interval } = grantError.data;
  if (error === 'authorization_pending') return { status: 'pending' };
  if (error === 'slow_down') return { status: 'slow_down', intervalSec: interval ?? 0 };
  return { status: 'failed', reason: FAILURES[error], message };
}

/**
 * Polls at the server's interval (slower after slow_down) until the code is approved
 * (the token), denied or expired (a DeviceSignInError), or the signal aborts. A poll
 * that does not get through (the bridge restarting, a network blip) is tried again at
 * the next interval: the code stays valid on the server meanwhile.
 */
export async function waitForDeviceToken(serverUrl: string, code: DeviceCodeResponse, options: WaitForDeviceTokenOptions = {}): Promise<DeviceTokenResponse> {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const expiresAt = now() + code.expiresIn * 1000;
  let intervalSec = code.interval;
  for (;;) {
    await sleep(intervalSec * 1000, options.signal);
    throwIfAborted(options.signal);
    if (now() >= expiresAt) throw new DeviceSignInError('expired', 'The code expired before it was approved. Start the sign-in again.');
    let poll: DevicePoll;
    try {
      poll = await pollDeviceToken(serverUrl, code.deviceCode, options);
    } catch (error) {
      throwIfAborted(options.signal);
      if (isTransient(error)) continue;
      throw error;
    }
    if (poll.status === 'slow_down') intervalSec = Math.max(poll.intervalSec, intervalSec + SLOW_DOWN_STEP_SEC);
    options.onPoll?.(poll, intervalSec);
    if (poll.status === 'granted') return poll.grant;
    if (poll.status === 'failed') throw new DeviceSignInError(poll.reason, poll.message);
  }
}

async function post(serverUrl: string, path: string, body: unknown, options: DeviceFlowOptions): Promise<Response> {
  const doFetch = options.fetch ?? fetch;
  const url = `${serverUrl.replace(/\/+$/, '')}${path}`;
  try {
    return await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    throwIfAborted(options.signal);
    throw new StockroomError('DISCONNECTED', `No Stockroom server answered at ${serverUrl}. Check the address and your network.`, undefined, { cause: error });
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** The bridge's `{ error: { code, message } }` body as a StockroomError, or one for the status. */
function errorFromBody(status: number, body: unknown, fallback: string): StockroomError {
  const error = (body as { error?: { code?: unknown; message?: unknown; data?: Record<string, unknown> } } | null)?.error;
  // An unknown code (a newer server) falls through to the status.
  if (error && isErrorCode(error.code) && typeof error.message === 'string') {
    return new StockroomError(error.code, error.message, { status, ...(error.data ?? {}) });
  }
  const code = status === 429 ? 'RATE_LIMITED' : status >= 502 && status <= 504 ? 'DISCONNECTED' : 'INTERNAL';
  return new StockroomError(code, `${fallback} (HTTP ${status})`, { status });
}

const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);

function isTransient(error: unknown): boolean {
  if (!(error instanceof StockroomError)) return false;
  return error.code === 'DISCONNECTED' || error.code === 'TIMEOUT' || error.code === 'RATE_LIMITED' || error.code === 'INTERNAL';
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
