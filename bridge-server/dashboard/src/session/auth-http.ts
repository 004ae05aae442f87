import { signedInSchema, StockroomError, wsTokenResponseSchema, type SignedIn, type WsTokenResponse } from '@stockroom/shared-types';
import { errorFromResponse } from '../data/http-errors.ts';

/**
 * The dashboard's cookie session (docs/protocol.md, "Sign-in"). `null` from
 * `currentSession` means "not signed in"; `'unavailable'` means this server has
 * no /auth endpoints yet, so the dashboard falls back to signing in with an API token.
 */
export async function currentSession(): Promise<SignedIn | null | 'unavailable'> {
  const res = await fetch('/auth/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (res.status === 404) return 'unavailable';
  if (res.status === 401) return null;
  if (!res.ok) throw await errorFromResponse(res);
  return signedInSchema.parse(await res.json());
}

export async function login(email: string, password: string): Promise<SignedIn> {
  const res = await fetch('/auth/login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw await errorFromResponse(res);
  return signedInSchema.parse(await res.json());
}

/** A token for the WebSocket's session.hello, bound to the cookie session (revoked at sign-out). */
export async function webSocketToken(csrfToken: string): Promise<WsTokenResponse> {
  const res = await fetch('/auth/ws-token', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrfToken, accept: 'application/json' } });
  if (!res.ok) throw await errorFromResponse(res);
  return wsTokenResponseSchema.parse(await res.json());
}

/** Changes the signed-in person's own password; their other sessions end, this one stays. */
export async function changePassword(csrfToken: string, currentPassword: string, newPassword: string): Promise<void> {
  const res = await fetch('/auth/password', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrfToken },
    body: JSON.stringify({ currentPassword, newPassword }),
  });
  if (!res.ok) throw await errorFromResponse(res);
}

export async function logout(csrfToken: string): Promise<void> {
  const res = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrfToken } });
  if (!res.ok && res.status !== 401) throw await errorFromResponse(res);
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof StockroomError && error.code === 'UNAUTHENTICATED';
}
