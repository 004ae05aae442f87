import { useEffect, useRef } from 'react';
import { AssetCard } from './AssetCard.tsx';
import { MAX_THUMB, MIN_THUMB } from '../state/personal-lists.ts';
import { nextCardIndex, takeRememberedCard } from './grid-keys.ts';
import { usePanel } from './use-panel.ts';

/** Grid or list switch and the thumbnail size slider (remembered per panel). */
export function ViewControls() {
  const [state, panel] = usePanel();
  const { layout, size } = state.browseView;
  return (
    <div className="sr-viewbar">
      <div className="sr-segmented" role="group" aria-label="Layout">
        <button
          className={`sr-segment${layout === 'grid' ? ' sr-segment--on' : ''}`}
          aria-pressed={layout === 'grid'}
          onClick={() => panel.setView({ layout: 'grid' })}
        >
          Grid
        </button>
        <button
          className={`sr-segment${layout === 'list' ? ' sr-segment--on' : ''}`}
          aria-pressed={layout === 'list'}
          onClick={() => panel.setView({ layout: 'list' })}
        >
          List
        </button>
      </div>
      {layout === 'grid' && (
        <input
          className="sr-slider"
          type="range"
          min={MIN_THUMB}
          max={MAX_THUMB}
          step={8}
          value={size}
          aria-label="Thumbnail size"
          onChange={(event) => panel.setView({ size: Number(event.target.value) })}
        />
      )}
    </div>
  );
}

/** The results as cards: arrow keys move between them, Enter opens one. */
export function Results({ empty }: { empty: React.ReactNode }) {
  const [state, panel] = usePanel();
  const grid = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const id = takeRememberedCard();
    if (id) grid.current?.querySelector<HTMLElement>(`[data-asset-id="${id}"]`)?.focus();
  }, []);
  const onKeyDown = (event: React.KeyboardEvent) => {
    const cards = Array.from(grid.current?.querySelectorAll<HTMLElement>('[data-testid="asset-card"]') ?? []);
    const from = cards.indexOf(document.activeElement as HTMLElement);
    if (from < 0) return;
    const key =
      state.browseView.layout === 'list' && event.key === 'ArrowRight'
        ? 'ArrowDown'
        : state.browseView.layout === 'list' && event.key === 'ArrowLeft'
          ? 'ArrowUp'
          : event.key;
    const to = nextCardIndex(cards, from, key);
    if (to === null) return;
    event.preventDefault();
    cards[to]!.focus();
    cards[to]!.scrollIntoView({ block: 'nearest' });
    if (to >= cards.length - 4) panel.loadMore();
  };
  return (
    <div
      className="sr-scroll"
      data-testid="results"
      onScroll={(event) => {
        const el = event.currentTarget;
        // IntersectionObserver is missing in UXP: load the next page near the bottom.
        if (el.scrollTop + el.clientHeight > el.scrollHeight - 240) panel.loadMore();
      }}
    >
      {state.hits.length === 0 && !state.searching && !state.searchError ? (
        empty
      ) : (
        <div
          className={state.browseView.layout === 'list' ? 'sr-rows' : 'sr-grid'}
          ref={grid}
          onKeyDown={onKeyDown}
          data-testid="result-cards"
          data-layout={state.browseView.layout}
        >
          {state.hits.map((asset) => (
            <AssetCard key={asset.id} asset={asset} />
          ))}
        </div>
      )}
      {state.nextCursor && (
        <div className="sr-row sr-row--center">
          <button className="sr-button sr-button--quiet" onClick={() => panel.loadMore()} disabled={state.searching}>
            {state.searching ? 'Loading…' : 'Show more'}
          </button>
        </div>
      )}
    </div>
  );
}
