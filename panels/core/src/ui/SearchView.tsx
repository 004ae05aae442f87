import type { AssetKind, SearchSort } from '@stockroom/shared-types';
import { formatAssetCount } from './format.ts';
import { Results, ViewControls } from './Results.tsx';
import { usePanel } from './use-panel.ts';

const KINDS: Array<{ kind: AssetKind; label: string }> = [
  { kind: 'image', label: 'Images' },
  { kind: 'design', label: 'Designs' },
  { kind: 'video', label: 'Video' },
  { kind: 'audio', label: 'Audio' },
  { kind: 'document', label: 'Docs' },
];

export function SearchView() {
  const [state, panel] = usePanel();
  const { filters } = state;
  const toggleKind = (kind: AssetKind) =>
    panel.setFilters({ kind: filters.kind.includes(kind) ? filters.kind.filter((k) => k !== kind) : [...filters.kind, kind] });

  return (
    <div className="sr-column sr-fill">
      <div className="sr-searchbar">
        <input
          className="sr-input sr-input--search"
          type="search"
          name="q"
          placeholder="Search assets, tags, descriptions…"
          value={state.query}
          onChange={(event) => panel.setQuery(event.target.value)}
          onKeyDown={(event) => {
            // Down from the search field goes into the results.
            if (event.key !== 'ArrowDown') return;
            const first = document.querySelector<HTMLElement>('[data-testid="asset-card"]');
            if (first) {
              event.preventDefault();
              first.focus();
            }
          }}
          aria-label="Search"
          autoFocus
        />
      </div>
      <div className="sr-filters">
        {KINDS.map(({ kind, label }) => (
          <button
            key={kind}
            className={`sr-chip${filters.kind.includes(kind) ? ' sr-chip--on' : ''}`}
            onClick={() => toggleKind(kind)}
            aria-pressed={filters.kind.includes(kind)}
          >
            {label}
          </button>
        ))}
        <button
          className={`sr-chip${filters.lockedOnly ? ' sr-chip--on' : ''}`}
          onClick={() => panel.setFilters({ lockedOnly: !filters.lockedOnly })}
          aria-pressed={filters.lockedOnly}
          title="Only assets someone has checked out"
        >
          Locked
        </button>
        <button
          className={`sr-chip${filters.checkedOutByMe ? ' sr-chip--on' : ''}`}
          onClick={() => panel.setFilters({ checkedOutByMe: !filters.checkedOutByMe })}
          aria-pressed={filters.checkedOutByMe}
        >
          Mine
        </button>
        <select className="sr-select" value={filters.sort} onChange={(event) => panel.setFilters({ sort: event.target.value as SearchSort })} aria-label="Sort">
          <option value="relevance">Best match</option>
          <option value="newest">Newest</option>
          <option value="name">Name</option>
        </select>
      </div>
      <div className="sr-statusbar">
        <div className="sr-status sr-muted">
          {state.searchError ? (
            <span className="sr-error">{state.searchError}</span>
          ) : state.searching && state.hits.length === 0 ? (
            'Searching…'
          ) : (
            formatAssetCount(state.total, state.totalIsEstimate)
          )}
        </div>
        <ViewControls />
      </div>
      <Results empty={<EmptyResults query={state.query} filtered={filters.kind.length > 0 || filters.checkedOutByMe || filters.lockedOnly} />} />
    </div>
  );
}

function EmptyResults({ query, filtered }: { query: string; filtered: boolean }) {
  return (
    <div className="sr-empty" data-testid="empty-state">
      <div className="sr-empty__title">{query ? `Nothing matches “${query}”` : 'No assets yet'}</div>
      <div className="sr-muted">
        {query
          ? filtered
            ? 'Try fewer words, or clear the filters above.'
            : 'Try fewer or different words; small typos are forgiven.'
          : 'Assets added to Stockroom from any app or the dashboard appear here.'}
      </div>
    </div>
  );
}
