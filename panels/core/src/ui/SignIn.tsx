import { useState } from 'react';
import type { DeviceSignInState } from '../state/device-sign-in.ts';
import { usePanel } from './use-panel.ts';

/**
 * Sign-in: "Sign in with browser" (device sign-in: a code to approve in the browser,
 * where passwords and single sign-on live) first, a pasted access token as the fallback.
 */
export function SignIn() {
  const [state, panel] = usePanel();
  const [serverUrl, setServerUrl] = useState(state.serverUrl);
  const [useToken, setUseToken] = useState(false);
  const device = state.device;
  const running = device.phase === 'requesting' || device.phase === 'waiting' || device.phase === 'approved';
  return (
    <div className="sr-signin">
      <h1 className="sr-title">Sign in to Stockroom</h1>
      <p className="sr-muted">Find, place and check in your team’s assets without leaving {hostName(panel.host.app)}.</p>
      <label className="sr-field">
        <span className="sr-label">Server</span>
        <input
          className="sr-input"
          name="server"
          placeholder="https://stockroom.example.com"
          value={serverUrl}
          disabled={running}
          onChange={(event) => setServerUrl(event.target.value)}
        />
      </label>
      {useToken ? <TokenForm serverUrl={serverUrl} /> : <BrowserSignIn serverUrl={serverUrl} device={device} />}
      {state.signInError && (
        <p className="sr-error" role="alert">
          {state.signInError}
        </p>
      )}
      {!running && (
        <div className="sr-row sr-row--center">
          <button className="sr-link" type="button" onClick={() => setUseToken(!useToken)}>
            {useToken ? 'Sign in with browser instead' : 'Use a token instead'}
          </button>
        </div>
      )}
    </div>
  );
}

function BrowserSignIn({ serverUrl, device }: { serverUrl: string; device: DeviceSignInState }) {
  const [, panel] = usePanel();
  const start = () => void panel.signInWithBrowser(serverUrl);
  if (device.phase === 'waiting') {
    return (
      <div className="sr-device" data-testid="device-sign-in">
        <p className="sr-text">Open the sign-in page, sign in there and check that it shows this code:</p>
        <p className="sr-device-code" data-testid="device-code" aria-label="Sign-in code">
          {device.userCode}
        </p>
        <div className="sr-row sr-row--center">
          <CopyButton text={device.userCode} />
          <button className="sr-button sr-button--cta" type="button" onClick={() => void panel.openSignInPage()}>
            Open sign-in page
          </button>
        </div>
        <p className="sr-muted sr-text" data-testid="device-waiting">
          Waiting for approval… The code works until {clock(device.expiresAt)}. The page is {device.verificationUri}.
        </p>
        <div className="sr-row sr-row--end">
          <button className="sr-button sr-button--quiet" type="button" onClick={() => panel.cancelDeviceSignIn()}>
            Cancel
          </button>
        </div>
      </div>
    );
  }
  if (device.phase === 'approved') {
    return (
      <p className="sr-text" data-testid="device-approved">
        Approved for {device.userName}. Connecting…
      </p>
    );
  }
  return (
    <div className="sr-device">
      {device.phase === 'failed' && (
        <p className="sr-error" role="alert" data-testid="device-failed">
          {device.message}
        </p>
      )}
      <div className="sr-row sr-row--end">
        <button className="sr-button sr-button--cta" type="button" disabled={device.phase === 'requesting'} onClick={start}>
          {device.phase === 'requesting' ? 'Getting a code…' : device.phase === 'failed' ? 'Try again' : 'Sign in with browser'}
        </button>
      </div>
    </div>
  );
}

function TokenForm({ serverUrl }: { serverUrl: string }) {
  const [state, panel] = usePanel();
  const [token, setToken] = useState('');
  const busy = state.phase === 'signingIn';
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void panel.signIn(serverUrl, token);
      }}
    >
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
      <div className="sr-row sr-row--end">
        <button className="sr-button sr-button--cta" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}

/** Copies with the web clipboard where there is one; the code is selectable text either way. */
function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const clipboard = (globalThis.navigator as Navigator | undefined)?.clipboard;
  if (!clipboard?.writeText) return null;
  return (
    <button
      className="sr-button"
      type="button"
      onClick={() => {
        clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : 'Copy code'}
    </button>
  );
}

function clock(at: number): string {
  const date = new Date(at);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function hostName(app: string): string {
  return app === 'photoshop' ? 'Photoshop' : app === 'premiere' ? 'Premiere Pro' : app === 'figma' ? 'Figma' : 'your app';
}
