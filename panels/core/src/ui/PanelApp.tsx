import { useEffect } from 'react';
import type { PanelController } from '../state/panel-controller.ts';
import { AssetView } from './AssetView.tsx';
import { ConflictDialog } from './ConflictDialog.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { DocumentView } from './DocumentView.tsx';
import { LockNotices } from './LockNotices.tsx';
import { SearchView } from './SearchView.tsx';
import { SignIn } from './SignIn.tsx';
import { Toasts } from './Toasts.tsx';
import { PanelContext, usePanel } from './use-panel.ts';

/** The whole panel; each host's entry renders this with its own controller (and host adapter). */
export function PanelApp({ controller }: { controller: PanelController }) {
  useEffect(() => {
    void controller.start();
    return () => controller.dispose();
  }, [controller]);
  return (
    <PanelContext.Provider value={controller}>
      <div className="sr-panel">
        <ConnectionBanner />
        <LockNotices />
        <Screen />
        <ConflictDialog />
        <Toasts />
      </div>
    </PanelContext.Provider>
  );
}

function Screen() {
  const [state, panel] = usePanel();
  if (state.phase === 'starting') return <div className="sr-empty sr-muted">Starting…</div>;
  if (state.phase === 'signedOut' || (state.phase === 'signingIn' && !state.user)) return <SignIn />;
  const stale = state.placements.filter((p) => p.headVersion > p.item.version).length;
  return (
    <div className="sr-column sr-fill">
      <div className="sr-tabs" role="tablist">
        <button role="tab" aria-selected={state.tab === 'search'} className={`sr-tab${state.tab === 'search' ? ' sr-tab--on' : ''}`} onClick={() => panel.setTab('search')}>
          Search
        </button>
        <button
          role="tab"
          aria-selected={state.tab === 'document'}
          className={`sr-tab${state.tab === 'document' ? ' sr-tab--on' : ''}`}
          onClick={() => panel.setTab('document')}
          data-testid="document-tab"
        >
          {panel.media ? 'This project' : 'This document'}
          {stale > 0 && (
            <span className="sr-count" data-testid="update-count">
              {stale}
            </span>
          )}
        </button>
        <span className="sr-spacer" />
        <button className="sr-link sr-muted" onClick={() => void panel.signOut()} title={state.user?.email}>
          Sign out
        </button>
      </div>
      {state.tab === 'document' ? <DocumentView /> : state.selected ? <AssetView asset={state.selected} /> : <SearchView />}
    </div>
  );
}
