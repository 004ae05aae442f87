import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { BridgeClient, type ConnectionState } from '@stockroom/bridge-client';
import type { User } from '@stockroom/shared-types';
import { currentSession, login, logout, webSocketToken } from './auth-http.ts';

const DASHBOARD_VERSION = '0.1.0';
/** Set after a password sign-in so a reload asks /auth/me instead of showing the form (no needless 401). */
const SIGNED_IN_FLAG = 'stockroom.dashboard.signedIn';
/** An API token given on the sign-in page, kept for this browser tab only. */
const TOKEN_KEY = 'stockroom.dashboard.token';
/**
 * The WebSocket token of the cookie session and its CSRF token, kept for this tab so a
 * reload connects at once instead of three sign-in round trips. It is short-lived and
 * revoked at sign-out; if the server refuses it, the full sign-in runs.
 */
const WS_SESSION_KEY = 'stockroom.dashboard.wsSession';

interface StoredWsSession {
  token: string;
  expiresAt: string;
  csrfToken: string;
}

function storedWsSession(): StoredWsSession | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(WS_SESSION_KEY) ?? 'null') as StoredWsSession | null;
    return stored && Date.parse(stored.expiresAt) > Date.now() + 60_000 ? stored : null;
  } catch {
    return null;
  }
}

export type SignInMode = 'password' | 'token';

export interface Session {
  client: BridgeClient;
  user: Pick<User, 'id' | 'name' | 'email' | 'role'>;
  /** Null when signed in with an API token (no cookie session). */
  csrfToken: string | null;
  connection: ConnectionState;
}

type State = { status: 'starting' } | { status: 'signed-out'; mode: SignInMode; error?: string } | { status: 'signed-in'; session: Session };

interface SessionApi {
  state: State;
  signInWithPassword(email: string, password: string): Promise<void>;
  signInWithToken(token: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

function openClient(token: string): BridgeClient {
  return new BridgeClient({
    serverUrl: window.location.origin,
    token,
    client: { app: 'dashboard', appVersion: DASHBOARD_VERSION, pluginVersion: DASHBOARD_VERSION, machine: navigator.platform || undefined },
  });
}

async function hasPasswordSignIn(): Promise<boolean> {
  const res = await fetch('/auth/providers', { credentials: 'same-origin' });
  return res.ok;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ status: 'starting' });

  const connect = useCallback(async (token: string, csrfToken: string | null) => {
    const client = openClient(token);
    const hello = await client.connect();
    const user = hello.user;
    if (user.role !== 'admin') {
      client.close();
      throw new Error(`${user.name} is not an administrator. The dashboard is for administrators; sign in with an administrator account.`);
    }
    const session: Session = { client, user, csrfToken, connection: client.state };
    client.onStateChange((connection) => {
      setState((s) => (s.status === 'signed-in' && s.session.client === client ? { status: 'signed-in', session: { ...s.session, connection } } : s));
    });
    client.onError((error) => {
      if (error.code !== 'UNAUTHENTICATED') return;
      client.close();
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(WS_SESSION_KEY);
      localStorage.removeItem(SIGNED_IN_FLAG);
      setState({ status: 'signed-out', mode: csrfToken ? 'password' : 'token', error: 'Your session ended. Sign in again.' });
    });
    setState({ status: 'signed-in', session });
  }, []);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        const stored = sessionStorage.getItem(TOKEN_KEY);
        if (stored) return await connect(stored, null);
        const ws = storedWsSession();
        if (ws) {
          try {
            return await connect(ws.token, ws.csrfToken);
          } catch {
            sessionStorage.removeItem(WS_SESSION_KEY);
          }
        }
        const password = await hasPasswordSignIn();
        if (!password) return !cancelled && setState({ status: 'signed-out', mode: 'token' });
        if (localStorage.getItem(SIGNED_IN_FLAG)) {
          const me = await currentSession();
          if (me && me !== 'unavailable') {
            const fresh = await webSocketToken(me.csrfToken);
            sessionStorage.setItem(WS_SESSION_KEY, JSON.stringify({ ...fresh, csrfToken: me.csrfToken }));
            return await connect(fresh.token, me.csrfToken);
          }
          localStorage.removeItem(SIGNED_IN_FLAG);
        }
        if (!cancelled) setState({ status: 'signed-out', mode: 'password' });
      } catch (error) {
        sessionStorage.removeItem(TOKEN_KEY);
        if (!cancelled) setState({ status: 'signed-out', mode: 'password', error: (error as Error).message });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [connect]);

  const api = useMemo<SessionApi>(
    () => ({
      state,
      async signInWithPassword(email, password) {
        const signedIn = await login(email, password);
        const ws = await webSocketToken(signedIn.csrfToken);
        await connect(ws.token, signedIn.csrfToken);
        localStorage.setItem(SIGNED_IN_FLAG, '1');
        sessionStorage.setItem(WS_SESSION_KEY, JSON.stringify({ ...ws, csrfToken: signedIn.csrfToken }));
      },
      async signInWithToken(token) {
        await connect(token, null);
        sessionStorage.setItem(TOKEN_KEY, token);
      },
      async signOut() {
        if (state.status !== 'signed-in') return;
        const { client, csrfToken } = state.session;
        client.close();
        sessionStorage.removeItem(TOKEN_KEY);
        sessionStorage.removeItem(WS_SESSION_KEY);
        localStorage.removeItem(SIGNED_IN_FLAG);
        if (csrfToken) await logout(csrfToken).catch(() => {});
        setState({ status: 'signed-out', mode: csrfToken ? 'password' : 'token' });
      },
    }),
    [state, connect],
  );

  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSessionApi(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSessionApi outside SessionProvider');
  return api;
}

/** The signed-in session; only for components rendered inside the signed-in shell. */
export function useSession(): Session {
  const { state } = useSessionApi();
  if (state.status !== 'signed-in') throw new Error('useSession needs a signed-in session');
  return state.session;
}
