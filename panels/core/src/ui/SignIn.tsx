import { useState } from 'react';
import { usePanel } from './use-panel.ts';

export function SignIn() {
  const [state, panel] = usePanel();
  const [serverUrl, setServerUrl] = useState(state.serverUrl);
  const [token, setToken] = useState('');
  const busy = state.phase === 'signingIn';
  return (
    <form
      className="sr-signin"
      onSubmit={(event) => {
        event.preventDefault();
        void panel.signIn(serverUrl, token);
      }}
    >
      <h1 className="sr-title">Sign in to Stockroom</h1>
      <p className="sr-muted">Find, place and check in your team’s assets without leaving {hostName(panel.host.app)}.</p>
      <label className="sr-field">
        <span className="sr-label">Server</span>
        <input
          className="sr-input"
          name="server"
          placeholder="https://stockroom.example.com"
          value={serverUrl}
          onChange={(event) => setServerUrl(event.target.value)}
        />
      </label>
      <label className="sr-field">
        <span className="sr-label">Access token</span>
        <input
          className="sr-input"
          name="token"
          type="password"
          placeholder="Paste the token from your Stockroom profile"
          value={token}
          onChange={(event) => setToken(event.target.value)}
        />
      </label>
      {state.signInError && (
        <p className="sr-error" role="alert">
          {state.signInError}
        </p>
      )}
      <div className="sr-row sr-row--end">
        <button className="sr-button sr-button--cta" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}

function hostName(app: string): string {
  return app === 'photoshop' ? 'Photoshop' : app === 'premiere' ? 'Premiere Pro' : app === 'figma' ? 'Figma' : 'your app';
}
