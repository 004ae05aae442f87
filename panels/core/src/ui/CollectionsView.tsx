import type { Shelf } from '../state/panel-state.ts';
import { formatAssetCount, formatCount } from './format.ts';
import { Results, ViewControls } from './Results.tsx';
import { usePanel } from './use-panel.ts';

/** Collections with their counts, plus the person's favourites and recents; one opens as a shelf. */
export function CollectionsView() {
  const [state, panel] = usePanel();
  if (state.shelf) return <ShelfView shelf={state.shelf} />;
  const collections = state.collections;
  return (
    <div className="sr-scroll" data-testid="collections-view">
      <div className="sr-subheading sr-pad-top">Yours</div>
      <ul className="sr-list" aria-label="Your lists">
        <ShelfRow label="Favourites" count={state.favourites.length} onOpen={() => panel.openShelf({ type: 'favourites' })} testId="shelf-favourites" />
        <ShelfRow label="Recently placed or opened" count={state.recents.length} onOpen={() => panel.openShelf({ type: 'recent' })} testId="shelf-recent" />
      </ul>
      <div className="sr-subheading sr-pad-top">Collections</div>
      {collections === null ? (
        <div className="sr-muted">Loading collections…</div>
      ) : collections.length === 0 ? (
        <div className="sr-muted" data-testid="no-collections">
          No collections yet. Collections made in the Stockroom dashboard show up here.
        </div>
      ) : (
        <ul className="sr-list" aria-label="Collections">
          {collections.map(({ collection, count, countIsEstimate, depth }) => (
            <ShelfRow
              key={collection.id}
              label={collection.name}
              count={count}
              approximate={countIsEstimate}
              depth={depth}
              onOpen={() => panel.openShelf({ type: 'collection', id: collection.id, name: collection.name })}
              testId="collection"
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function ShelfRow({
  label,
  count,
  approximate = false,
  depth = 0,
  onOpen,
  testId,
}: {
  label: string;
  count: number;
  approximate?: boolean;
  depth?: number;
  onOpen(): void;
  testId: string;
}) {
  return (
    <li className="sr-list__item sr-list__item--tight">
      <button className="sr-shelf" style={{ paddingLeft: 6 + depth * 14 }} onClick={onOpen} data-testid={testId} data-count={count}>
        <span className="sr-ellipsis">{label}</span>
        <span className="sr-muted" data-testid="shelf-count">
          {formatCount(count, approximate)}
        </span>
      </button>
    </li>
  );
}

function shelfName(shelf: Shelf): string {
  return shelf.type === 'collection' ? shelf.name : shelf.type === 'favourites' ? 'Favourites' : 'Recently placed or opened';
}

/** One collection (or favourites, recents) as results, with the way back. */
function ShelfView({ shelf }: { shelf: Shelf }) {
  const [state, panel] = usePanel();
  return (
    <div className="sr-column sr-fill" data-testid="shelf-view">
      <div className="sr-toolbar">
        <button className="sr-button sr-button--quiet" onClick={() => panel.leaveShelf()} data-testid="shelf-back">
          ‹ Collections
        </button>
        <h2 className="sr-toolbar__title sr-ellipsis">{shelfName(shelf)}</h2>
      </div>
      <div className="sr-statusbar">
        <div className="sr-status sr-muted">
          {state.searching && state.hits.length === 0 ? 'Loading…' : formatAssetCount(state.total, state.totalIsEstimate)}
        </div>
        <ViewControls />
      </div>
      <Results
        empty={
          <div className="sr-empty" data-testid="empty-state">
            <div className="sr-empty__title">Nothing here yet</div>
            <div className="sr-muted">
              {shelf.type === 'favourites'
                ? 'Star an asset (☆ on its page) to find it here.'
                : shelf.type === 'recent'
                  ? 'Assets you open or place appear here.'
                  : 'Assets added to this collection in Stockroom appear here.'}
            </div>
          </div>
        }
      />
    </div>
  );
}
