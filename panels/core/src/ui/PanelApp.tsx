import { useEffect } from 'react';
import type { PanelController } from '../state/panel-controller.ts';
import { AssetView } from './AssetView.tsx';
import { CollectionsView } from './CollectionsView.tsx';
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
    // Screen readers pick the voice from the document's language; the panel's words are English.
    if (!document.documentElement.lang) document.documentElement.lang = 'en';
    void controller.start();
    // On the document, not the panel's root: after a view changes, focus may rest on the body.
    const onKeyDown = (event: KeyboardEvent) => {
      // Escape goes back (asset → results → collections); fields with text keep Escape for themselves.
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      const tag = target?.tagName ?? '';
      if (tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && (target as HTMLInputElement).value !== '')) return;
      if (controller.back()) event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      controller.dispose();
    };
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
      <div className="sr-tabs">
        <div className="sr-tablist" role="tablist" aria-label="Panel">
          <Tab tab="search" label="Search" />
          <Tab tab="collections" label="Collections" testId="collections-tab" />
          <Tab tab="document" label={panel.media ? 'This project' : 'This document'} testId="document-tab">
            {stale > 0 && (
              <span className="sr-count" data-testid="update-count">
                {stale}
              </span>
            )}
          </Tab>
        </div>
        <span className="sr-spacer" />
        <button className="sr-link sr-muted" onClick={() => void panel.signOut()} title={state.user?.email}>
          Sign out
        </button>
      </div>
      <div
        className="sr-column sr-fill"
        role="tabpanel"
        aria-label={state.tab === 'search' ? 'Search' : state.tab === 'collections' ? 'Collections' : 'Document'}
      >
        {state.tab === 'document' ? (
          <DocumentView />
        ) : state.selected ? (
          <AssetView asset={state.selected} />
        ) : state.tab === 'collections' ? (
          <CollectionsView />
        ) : (
          <SearchView />
        )}
      </div>
    </div>
  );
}

function Tab({ tab, label, testId, children }: { tab: 'search' | 'collections' | 'document'; label: string; testId?: string; children?: React.ReactNode }) {
  const [state, panel] = usePanel();
  const on = state.tab === tab;
  return (
    <button role="tab" aria-selected={on} className={`sr-tab${on ? ' sr-tab--on' : ''}`} onClick={() => panel.setTab(tab)} data-testid={testId}>
      {label}
      {children}
    </button>
  );
}
