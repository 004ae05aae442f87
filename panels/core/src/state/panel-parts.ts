import type { BridgeClient } from '@stockroom/bridge-client';
import type { Asset, Version } from '@stockroom/shared-types';
import type { HostAdapter, NotifyLevel } from '../host/types.ts';
import type { PanelState } from './panel-state.ts';
import type { Store } from './store.ts';

/** What every part of the panel (session, search, placements, check-in) shares with the others. */
export interface PanelParts {
  readonly store: Store<PanelState>;
  readonly host: HostAdapter;
  /** The signed-in connection; throws UNAUTHENTICATED when signed out. */
  bridge(): BridgeClient;
  /** The connection, or null when signed out. */
  client(): BridgeClient | null;
  /** The server address and token for plain HTTP requests (downloads, thumbnails). */
  auth(): { serverUrl: string; token: string };
  /** Runs work under a busy key (the button shows `label`); a failure becomes an error toast. */
  run(key: string, label: string, work: () => Promise<void>): Promise<void>;
  toast(message: string, level: NotifyLevel): void;
  /** The local path of asset@version, downloading it into the cache first when needed. */
  cached(assetId: string, version: Version): Promise<string>;
  replaceAsset(asset: Asset): void;
  refreshPlacements(): Promise<void>;
}
