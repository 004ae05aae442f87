import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useSessionApi, type SignInMode } from './session.tsx';

/** Password sign-in (cookie session) where the server has it; otherwise an administrator's API token. */
export function SignInPage({ mode, notice }: { mode: SignInMode; notice?: string }) {
  const api = useSessionApi();
  const [error, setError] = useState<string | undefined>(notice);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Sign in · Stockroom admin';
    heading.current?.focus();
  }, []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      if (mode === 'password') await api.signInWithPassword(String(form.get('email')), String(form.get('password')));
      else await api.signInWithToken(String(form.get('token')).trim());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <form className="card sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title" tabIndex={-1} ref={heading}>
          Sign in to Stockroom admin
        </h1>
        {mode === 'password' ? (
          <>
            <label>
              E-mail
              <input name="email" type="email" autoComplete="username" required autoFocus />
            </label>
            <label>
              Password
              <input name="password" type="password" autoComplete="current-password" required />
            </label>
          </>
        ) : (
          <>
            <p className="muted">This server has no password sign-in yet. Paste an administrator’s API token (it is kept in this browser tab only).</p>
            <label>
              API token
              <input name="token" type="password" autoComplete="off" required autoFocus spellCheck={false} />
            </label>
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
