import { BridgeClient } from '@stockroom/bridge-client';
import { StockroomError } from '@stockroom/shared-types';
import { humanError, signInError } from '../errors/human-error.ts';
import { AwayClock } from './away-clock.ts';
import type { HostAdapter } from '../host/types.ts';
import { runDeviceSignIn } from './device-sign-in.ts';
import type { PanelState } from './panel-state.ts';
import type { Store } from './store.ts';

export const SERVER_KEY = 'stockroom.serverUrl';
export const LIVE_EVENTS = [
  'asset.created',
  'asset.updated',
  'asset.deleted',
  'asset.locked',
  'asset.unlocked',
  'version.created',
  'derivative.ready',
  'favourites.changed',
] as const;
export type LiveEvent = (typeof LIVE_EVENTS)[number];
/** Review comment events: the comment list of the open asset listens to them itself (ui/CommentsView). */
export const COMMENT_EVENTS = ['comment.created', 'comment.updated', 'comment.resolved', 'comment.deleted'] as const;

export interface SessionOptions {
  store: Store<PanelState>;
  host: HostAdapter;
  pluginVersion: string;
  settings?: Pick<Storage, 'getItem' | 'setItem'>;
  uploadChunkBytes?: number;
  machineName: string;
  /** Signed in: start watching the document and show the first results. */
  onReady(): void;
  /** Signed out or switched servers: stop what runs for the old connection. */
  onDisconnect(): void;
  /** Back after a drop; `awaySince`: the server time from which events may have been missed (null if unknown). */
  onReconnected(awaySince: string | null): void;
  onEvent(event: LiveEvent, data: unknown): void;
}

/**
 * Signing in and out: a pasted token, device sign-in through the browser, the
 * remembered token at start, and the bridge connection that follows.
 */
export class PanelSession {
  private client: BridgeClient | null = null;
  private token = '';
  private deviceSignIn: AbortController | null = null;
  private stopListening: Array<() => void> = [];

  constructor(private readonly options: SessionOptions) {}

  private get state(): PanelState {
    return this.options.store.get();
  }

  private set(patch: Partial<PanelState>): void {
    this.options.store.set(patch);
  }

  get connection(): BridgeClient | null {
    return this.client;
  }

  get accessToken(): string {
    return this.token;
  }

  /** Signs in with the stored token, if there is one. */
  async start(): Promise<void> {
    const token = await this.options.host.token.get();
    if (!token || !this.state.serverUrl) {
      this.set({ phase: 'signedOut' });
      return;
    }
    await this.connect(this.state.serverUrl, token, true);
  }

  /** Signs in with a pasted access token (the fallback to signing in with the browser). */
  async signIn(serverUrl: string, token: string): Promise<void> {
    const url = this.serverAddress(serverUrl);
    if (!url) return;
    if (token.trim().length === 0) {
      this.set({ signInError: 'Paste the access token from your Stockroom profile page.' });
      return;
    }
    this.cancelDeviceSignIn();
    this.options.settings?.setItem(SERVER_KEY, url);
    await this.connect(url, token.trim(), false);
  }

  /**
   * Device sign-in: shows a code, the person approves it in the browser (where the
   * password or single sign-on stays), and the panel receives a token of its own.
   */
  async signInWithBrowser(serverUrl: string): Promise<void> {
    const url = this.serverAddress(serverUrl);
    if (!url) return;
    this.cancelDeviceSignIn();
    this.options.settings?.setItem(SERVER_KEY, url);
    const run = new AbortController();
    this.deviceSignIn = run;
    this.set({ serverUrl: url, signInError: null });
    const grant = await runDeviceSignIn({
      serverUrl: url,
      clientApp: this.options.host.app,
      machine: this.options.machineName,
      signal: run.signal,
      onState: (device) => this.set({ device }),
    });
    if (this.deviceSignIn !== run) return;
    this.deviceSignIn = null;
    if (grant) await this.connect(url, grant.token, false);
  }

  /** Opens the approval page (with the code filled in) in the system browser. */
  async openSignInPage(): Promise<void> {
    const device = this.state.device;
    if (device.phase !== 'waiting') return;
    try {
      await this.options.host.openExternal(device.verificationUriComplete);
    } catch (error) {
      this.set({ signInError: error instanceof Error ? error.message : `Open ${device.verificationUriComplete} in your browser.` });
    }
  }

  /** Stops a running device sign-in and goes back to the start of the sign-in screen. */
  cancelDeviceSignIn(): void {
    this.deviceSignIn?.abort();
    this.deviceSignIn = null;
    this.set({ device: { phase: 'idle' } });
  }

  private serverAddress(input: string): string | null {
    const url = input.trim().replace(/\/+$/, '');
    if (/^https?:\/\/[^/]+/.test(url)) return url;
    this.set({ signInError: 'Enter the server address, for example https://stockroom.example.com.' });
    return null;
  }

  async signOut(): Promise<void> {
    this.disconnect();
    await this.options.host.token.clear();
    this.set({ phase: 'signedOut', user: null, hits: [], selected: null, placements: [], signInError: null, device: { phase: 'idle' } });
  }

  private async connect(serverUrl: string, token: string, remembered: boolean): Promise<void> {
    this.disconnect();
    this.set({ phase: 'signingIn', serverUrl, signInError: null });
    const { host } = this.options;
    const client = new BridgeClient({
      serverUrl,
      token,
      client: { app: host.app, appVersion: host.appVersion, pluginVersion: this.options.pluginVersion },
      // Short backoff: after a server restart the panel should be back within seconds.
      reconnect: { initialDelayMs: 250, maxDelayMs: 4000 },
      ...(this.options.uploadChunkBytes ? { upload: { chunkSize: this.options.uploadChunkBytes } } : {}),
    });
    this.client = client;
    this.token = token;
    const away = new AwayClock();
    this.stopListening.push(
      client.onStateChange((connection, previous) => {
        away.stateChanged(connection, previous);
        this.set({ connection });
      }),
    );
    this.stopListening.push(
      client.onReconnected((hello) => {
        const awaySince = away.takeAwaySince();
        away.connected(hello.serverTime);
        this.options.onReconnected(awaySince);
      }),
    );
    this.stopListening.push(
      client.onError((error) => {
        if (error.code === 'UNAUTHENTICATED') void this.signOutBecause(error);
      }),
    );
    for (const event of LIVE_EVENTS) this.stopListening.push(client.on(event, (data) => this.options.onEvent(event, data)));
    try {
      // A remembered sign-in keeps retrying while the server is away (the banner says so).
      const hello = await client.connect({ retry: remembered });
      away.connected(hello.serverTime);
      await client.subscribe([...LIVE_EVENTS, ...COMMENT_EVENTS]);
      if (!remembered) await host.token.set(token);
      this.set({ phase: 'ready', user: hello.user, device: { phase: 'idle' } });
      this.options.onReady();
    } catch (error) {
      if (this.client !== client) return;
      this.disconnect();
      this.set({ phase: 'signedOut', signInError: signInError(error, serverUrl), device: { phase: 'idle' } });
    }
  }

  private async signOutBecause(error: StockroomError): Promise<void> {
    this.disconnect();
    await this.options.host.token.clear();
    this.set({ phase: 'signedOut', user: null, signInError: humanError(error) });
  }

  disconnect(): void {
    for (const stop of this.stopListening.splice(0)) stop();
    this.options.onDisconnect();
    this.client?.close();
    this.client = null;
  }

  dispose(): void {
    this.deviceSignIn?.abort();
    this.disconnect();
  }

  /** The signed-in connection; throws when signed out. */
  bridge(): BridgeClient {
    if (!this.client) throw new StockroomError('UNAUTHENTICATED', 'Not signed in.');
    return this.client;
  }
}
