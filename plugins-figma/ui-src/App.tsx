import { ASSET_KINDS, type AssetKind, type BrandEntry } from '@stockroom/shared-types';
import type { Controller } from './controller.ts';
import { Grid } from './Grid.tsx';
import { useStore } from './store.ts';

export function App({ controller }: { controller: Controller }) {
  const state = useStore(controller.store);
  return (
    <main className="sr-panel fg-app">
      {state.message && (
        <div
          className={`sr-banner ${state.message.kind === 'error' ? 'sr-banner--error' : ''}`}
          role={state.message.kind === 'error' ? 'alert' : 'status'}
          data-testid="message"
        >
          <span className="sr-fill">{state.message.text}</span>
          <button type="button" className="sr-button sr-button--quiet sr-button--small" onClick={() => controller.dismiss()} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {state.phase === 'starting' && <p className="sr-muted">Starting…</p>}
      {state.phase === 'signed-out' && <SignIn controller={controller} />}
      {state.phase === 'signed-in' && <Browser controller={controller} />}
    </main>
  );
}

function SignIn({ controller }: { controller: Controller }) {
  const { device } = useStore(controller.store);
  return (
    <div className="sr-signin">
      <h1 className="sr-title">Stockroom brand assets</h1>
      <p className="sr-muted">Place your team’s logos, icons and photos — always the approved, latest version.</p>
      {device.phase === 'waiting' ? (
        <div className="sr-device" data-testid="device-sign-in">
          <p className="sr-text">A browser window opened. Sign in there and check that it shows this code:</p>
          <p className="sr-device-code" data-testid="device-code">
            {device.userCode}
          </p>
          <div className="sr-row sr-row--center">
            <button className="sr-button" type="button" onClick={() => controller.openSignInPage()}>
              Open sign-in page again
            </button>
            <button className="sr-button sr-button--quiet" type="button" onClick={() => controller.cancelSignIn()}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          className="sr-button sr-button--cta"
          type="button"
          disabled={device.phase === 'requesting' || device.phase === 'approved'}
          onClick={() => void controller.signInWithBrowser()}
        >
          {device.phase === 'approved' ? 'Signed in…' : 'Sign in with browser'}
        </button>
      )}
      {device.phase === 'failed' && (
        <p className="sr-error" role="alert">
          {device.message}
        </p>
      )}
    </div>
  );
}

function visible(entries: BrandEntry[], s: { kind: AssetKind | null; tag: string | null; matches: string[] | null }): BrandEntry[] {
  let list = entries.filter((e) => (!s.kind || e.kind === s.kind) && (!s.tag || e.tags.includes(s.tag)));
  if (s.matches) {
    const order = new Map(s.matches.map((id, i) => [id, i]));
    list = list.filter((e) => order.has(e.id)).sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  }
  return list;
}

function Browser({ controller }: { controller: Controller }) {
  const state = useStore(controller.store);
  const kit = state.kit;
  const all = kit?.sections.flatMap((s) => s.entries) ?? [];
  const kinds = ASSET_KINDS.filter((k) => all.some((e) => e.kind === k));
  const tags = [...new Set(all.flatMap((e) => e.tags))].sort();
  const sections = kit?.sections.map((s) => ({ ...s, entries: visible(s.entries, state) })).filter((s) => s.entries.length > 0) ?? [];
  const outdated = state.placed.filter((p) => p.updateAvailable);
  return (
    <>
      <div className="sr-toolbar sr-row sr-row--between">
        <span className="sr-muted" data-testid="who">
          {state.user} · <span className={`fg-conn fg-conn--${state.connection}`}>{state.connection === 'open' ? 'live' : state.connection}</span>
        </span>
        <button type="button" className="sr-button sr-button--quiet sr-button--small" onClick={() => void controller.signOut()}>
          Sign out
        </button>
      </div>
      {state.kits.length === 0 && (
        <p className="sr-empty">No brand kit is shared with you yet. Ask a manager to mark a collection as a brand kit in the Stockroom dashboard.</p>
      )}
      {state.kits.length > 1 && (
        <select className="sr-select" aria-label="Brand kit" value={kit?.collectionId} onChange={(e) => void controller.openKit(e.target.value)}>
          {state.kits.map((k) => (
            <option key={k.collectionId} value={k.collectionId}>
              {k.name}
            </option>
          ))}
        </select>
      )}
      {kit && (
        <>
          <div className="sr-searchbar">
            <input
              className="sr-input sr-input--search"
              type="search"
              aria-label="Search the brand kit"
              placeholder={`Search ${kit.name}`}
              value={state.query}
              onChange={(e) => void controller.search(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowDown') {
                  e.preventDefault();
                  document.querySelector<HTMLButtonElement>('[data-card]')?.focus();
                }
              }}
            />
          </div>
          <div className="sr-filters sr-row sr-wrap" aria-label="Filters">
            {kinds.map((k) => (
              <button
                key={k}
                type="button"
                className={`sr-chip ${state.kind === k ? 'sr-chip--on' : ''}`}
                aria-pressed={state.kind === k}
                onClick={() => controller.setFilter({ kind: state.kind === k ? null : k })}
              >
                {k}
              </button>
            ))}
            <select
              className="sr-select fg-tag"
              aria-label="Tag"
              value={state.tag ?? ''}
              onChange={(e) => controller.setFilter({ tag: e.target.value || null })}
            >
              <option value="">All tags</option>
              {tags.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          <div className="sr-scroll fg-sections" data-testid="grid">
            {state.searching && <p className="sr-muted">Searching…</p>}
            {!state.searching && sections.length === 0 && <p className="sr-empty">Nothing in {kit.name} matches. Check the spelling or clear the filters.</p>}
            {sections.map((s) => (
              <Grid key={s.id} controller={controller} kit={kit.collectionId} title={s.title} entries={s.entries} />
            ))}
          </div>
        </>
      )}
      <section className="sr-section fg-placed" aria-label="Placed in this file" data-testid="placed">
        <div className="sr-row sr-row--between">
          <h2 className="sr-subheading">
            Placed {state.scope === 'page' ? 'on this page' : 'in this file'} ({state.placed.length})
          </h2>
          <button type="button" className="sr-link" onClick={() => controller.setScope(state.scope === 'page' ? 'file' : 'page')}>
            {state.scope === 'page' ? 'Check whole file' : 'Only this page'}
          </button>
        </div>
        {outdated.length > 0 && (
          <div className="sr-update sr-row sr-row--between" role="status" data-testid="update-available">
            <span>
              Update available for {outdated.length} layer{outdated.length === 1 ? '' : 's'}
            </span>
            <button
              type="button"
              className="sr-button sr-button--cta sr-button--small"
              disabled={state.busy !== null}
              onClick={() => void controller.updateNodes(outdated.map((p) => p.nodeId))}
            >
              Update to latest
            </button>
          </div>
        )}
        <ul className="sr-list">
          {state.placed.map((p) => (
            <li key={p.nodeId} className="sr-row sr-row--between">
              <span className="sr-ellipsis">
                {p.name}{' '}
                <span className="sr-muted">
                  v{p.version}
                  {p.variant ? ` · ${p.variant}` : ''}
                </span>
              </span>
              {p.updateAvailable && <span className="sr-badge sr-badge--update">v{p.latest} available</span>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
