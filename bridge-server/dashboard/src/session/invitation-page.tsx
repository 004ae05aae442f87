import { useEffect, useRef, useState, type FormEvent } from 'react';
import { invitationAcceptResultSchema, invitationLookupResultSchema, type StockroomError } from '@stockroom/shared-types';
import { errorFromResponse } from '../data/http-errors.ts';
import { formatDate } from '../ui/format.ts';

type Lookup = { email: string; role: 'admin' | 'member'; expiresAt: string };

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await errorFromResponse(res);
  return res.json();
}

/**
 * The invitee's page (/admin/invite#<secret>): says who the link is for, then takes a name
 * and a password. The secret stays in the fragment, so it never reaches a server log.
 */
export function InvitationPage() {
  const [token, setToken] = useState(() => window.location.hash.slice(1));
  const [lookup, setLookup] = useState<Lookup | null>(null);
  const [problem, setProblem] = useState<string>();
  const [done, setDone] = useState<{ email: string; name: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // Another link opened in the same tab changes only the fragment: no new page load.
    const follow = () => {
      if (!window.location.hash) return;
      setToken(window.location.hash.slice(1));
      setLookup(null);
      setDone(null);
      setProblem(undefined);
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  useEffect(() => {
    document.title = 'Accept an invitation · Stockroom';
    heading.current?.focus();
    if (!token) {
      setProblem('This address has no invitation code. Open the whole link you were sent.');
      return;
    }
    post('/auth/invitations/lookup', { token }).then(
      (body) => setLookup(invitationLookupResultSchema.parse(body)),
      (error: StockroomError) => setProblem(error.message),
    );
  }, [token]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('repeat'))) {
      setProblem('The two passwords differ. Type the same password twice.');
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      setDone(invitationAcceptResultSchema.parse(await post('/auth/invitations/accept', { token, name: String(form.get('name')), password })));
      // The secret is used up: keep it out of the history.
      window.history.replaceState(null, '', window.location.pathname);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <div className="card sign-in">
        <h1 id="invite-title" tabIndex={-1} ref={heading}>
          {done ? 'Your account is ready' : 'Join Stockroom'}
        </h1>
        {done ? (
          <>
            <p role="status">
              Welcome, {done.name}. Sign in with <strong>{done.email}</strong> and the password you chose — in the dashboard, or in the Photoshop, Premiere or
              Figma panel.
            </p>
            <a className="button primary" href="/admin/">
              Go to sign-in
            </a>
          </>
        ) : lookup ? (
          <form className="form" onSubmit={submit} aria-labelledby="invite-title">
            <p>
              You were invited as <strong>{lookup.email}</strong> ({lookup.role === 'admin' ? 'administrator' : 'member'}). The link works until{' '}
              {formatDate(lookup.expiresAt)}.
            </p>
            <label>
              Your name
              <input name="name" required maxLength={200} autoComplete="name" />
            </label>
            <label>
              Password (at least 12 characters; a few unrelated words work well)
              <input name="password" type="password" required minLength={12} autoComplete="new-password" />
            </label>
            <label>
              Password again
              <input name="repeat" type="password" required minLength={12} autoComplete="new-password" />
            </label>
            {problem && (
              <p className="error" role="alert">
                {problem}
              </p>
            )}
            <button type="submit" className="primary" disabled={busy}>
              {busy ? 'Creating your account…' : 'Create my account'}
            </button>
          </form>
        ) : problem ? (
          <p className="error" role="alert">
            {problem}
          </p>
        ) : (
          <p role="status">Checking the invitation…</p>
        )}
      </div>
    </main>
  );
}
