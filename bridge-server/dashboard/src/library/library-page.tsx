import { useEffect, useMemo, useRef, useState, type FormEvent, type MouseEvent } from 'react';
import { SEARCH_SORTS, type Asset, type SearchSort } from '@stockroom/shared-types';
import { isNotAvailable, useMethod } from '../data/methods.ts';
import { EmptyState, ErrorNotice, Loading, NotAvailable } from '../ui/feedback.tsx';
import { formatNumber } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Pager } from '../ui/pager.tsx';
import { AssetGrid, AssetList, type Selection } from './asset-grid.tsx';
import type { DraggedAsset } from './asset-drag.ts';
import { BulkBar } from './bulk-bar.tsx';
import { CollectionActions } from './collection-actions.tsx';
import { CollectionTree } from './collection-tree.tsx';
import { useLibraryMoves } from './library-moves.ts';
import { MoveToastView } from './move-toast.tsx';
import { filesOfDrop, type PickedFile } from './dropped-files.ts';
import { UploadPanel } from './upload-panel.tsx';
import { FacetSidebar } from './facet-sidebar.tsx';
import { datedView, filtersOf, presetStart, SIZE_MAX, SIZE_MIN, UPLOADED_PRESETS, useLibraryState, type LibraryState } from './url-state.ts';

export const PAGE_SIZE = 50;
const TYPING_PAUSE_MS = 300;
const FACETS = ['kind', 'collectionId', 'tags', 'locked', 'createdById'] as const;

/** Relevance only means something with words to match; without them the library browses newest first. */
function effectiveSort(state: LibraryState): SearchSort {
  if (state.q) return state.sort === 'newest' ? 'relevance' : state.sort;
  return state.sort === 'relevance' ? 'newest' : state.sort;
}

/** Selected asset ids (kept across pages), with Shift-click ranges inside the page shown. */
function useSelection(assets: Asset[]) {
  const [ids, setIds] = useState<Set<string>>(new Set());
  const anchor = useRef<number | null>(null);
  const selection: Selection = {
    isSelected: (id) => ids.has(id),
    toggle(index: number, event: MouseEvent) {
      const asset = assets[index];
      if (!asset) return;
      const on = !ids.has(asset.id);
      const next = new Set(ids);
      const from = event.shiftKey && anchor.current !== null ? Math.min(anchor.current, index) : index;
      const to = event.shiftKey && anchor.current !== null ? Math.max(anchor.current, index) : index;
      for (const a of assets.slice(from, to + 1)) on ? next.add(a.id) : next.delete(a.id);
      anchor.current = index;
      setIds(next);
    },
  };
  return { ids, setIds, selection };
}

export function LibraryPage() {
  const [state, update] = useLibraryState();
  const [typed, setTyped] = useState(state.q);
  // Back/Forward or a link change the query: the box follows the URL.
  useEffect(() => setTyped(state.q), [state.q]);
  useEffect(() => {
    if (typed.trim() === state.q) return;
    const timer = setTimeout(() => update({ q: typed.trim() }), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed, state.q, update]);

  const cursor = state.cursors[state.cursors.length - 1];
  const createdSince = UPLOADED_PRESETS.map(presetStart);
  // Upload-date counts come with the page, unless a date filter narrows it: then from the same search without it.
  const dated = datedView(state);
  const search = useMethod(
    'assets.search',
    {
      q: state.q,
      sort: effectiveSort(state),
      limit: PAGE_SIZE,
      filters: filtersOf(state),
      facets: [...FACETS],
      ...(dated ? {} : { createdSince }),
      ...(cursor ? { cursor } : {}),
    },
    { placeholderData: (previous) => previous },
  );
  const undated = useMethod(
    'assets.search',
    { q: state.q, sort: effectiveSort(state), limit: 1, filters: filtersOf({ ...state, uploaded: '', from: '', to: '' }), createdSince },
    { enabled: dated, placeholderData: (previous) => previous },
  );
  const dateCounts = (dated ? undated.data : search.data)?.createdSince ?? [];
  const collections = useMethod('collections.list', {});
  const collectionNames = useMemo(() => new Map((collections.data?.collections ?? []).map((c) => [c.id, c.name])), [collections.data]);
  const collectionName = (id: string) => collectionNames.get(id) ?? 'Unknown collection';
  const people = useMethod('users.list', { includeDisabled: true });
  const personNames = useMemo(() => new Map((people.data?.users ?? []).map((u) => [u.id, u.name])), [people.data]);
  const personName = (id: string) => personNames.get(id) ?? 'A former account';
  const assets = useMemo(() => (search.data?.hits ?? []).map((h) => h.asset), [search.data]);
  // The collection of every asset seen on a page, so a drag of a selection spanning pages can be undone.
  const seen = useRef(new Map<string, string | null>());
  for (const a of assets) seen.current.set(a.id, a.collectionId);
  // The tree's counts: the same search in every collection (the collection being viewed does not narrow them).
  const everywhere = useMethod(
    'assets.search',
    { q: state.q, sort: effectiveSort(state), limit: 1, filters: filtersOf({ ...state, collection: '' }), facets: ['collectionId'] },
    { placeholderData: (previous) => previous },
  );
  const treeCounts = useMemo(() => new Map((everywhere.data?.facets.collectionId ?? []).map((c) => [c.value, c.count])), [everywhere.data]);
  const moves = useLibraryMoves(collectionName);
  const { ids, setIds, selection } = useSelection(assets);
  const [allMatching, setAllMatching] = useState(false);
  const filters = filtersOf(state);
  // With "all matching" every card shows ticked; unticking one goes back to picking by hand.
  const shown: Selection = allMatching ? { isSelected: () => true, toggle: () => setAllMatching(false) } : selection;
  const searchKey = JSON.stringify([state.q, filters]);
  // A selection belongs to one search: a new search starts with nothing selected.
  useEffect(() => {
    setIds(new Set());
    setAllMatching(false);
  }, [searchKey, setIds]);
  const viewed = (collections.data?.collections ?? []).find((c) => c.id === state.collection);
  // The count shown is the collection's only when nothing else narrows the view.
  const filteredBeyondCollection = Boolean(state.q || state.kind.length || state.tags.length || state.locked);
  const filtered = Boolean(state.q || state.kind.length || state.tags.length || state.collection || state.locked);

  /** A card dragged from the hand-picked selection carries the selection; any other card carries itself. */
  const dragged = (asset: Asset): DraggedAsset[] =>
    !allMatching && ids.has(asset.id)
      ? [...ids].map((id) => ({ id, collectionId: seen.current.get(id) ?? null }))
      : [{ id: asset.id, collectionId: asset.collectionId }];

  const [uploading, setUploading] = useState(false);
  const [dropped, setDropped] = useState<PickedFile[]>([]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update({ q: typed.trim() });
  }

  return (
    <Page
      title="Assets"
      actions={
        <button type="button" className="primary" aria-expanded={uploading} onClick={() => setUploading(!uploading)}>
          Upload…
        </button>
      }
    >
      {uploading && (
        <UploadPanel
          collectionId={state.collection || null}
          collectionName={state.collection ? collectionName(state.collection) : 'the library (no collection)'}
          incoming={dropped}
          onClose={() => setUploading(false)}
        />
      )}
      <form className="toolbar wrap" role="search" aria-label="Find assets" onSubmit={submit}>
        <label className="grow">
          Search
          <input name="q" type="search" value={typed} onChange={(e) => setTyped(e.currentTarget.value)} placeholder="Name, tag, description…" />
        </label>
        <label>
          Sort
          <select value={effectiveSort(state)} onChange={(e) => update({ sort: e.currentTarget.value as SearchSort })}>
            {SEARCH_SORTS.map((s) => (
              <option key={s} value={s} disabled={s === 'relevance' && !state.q}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Search
        </button>
        <div className="view-switch" role="group" aria-label="View">
          <button type="button" aria-pressed={state.view === 'grid'} onClick={() => update({ view: 'grid' })}>
            Grid
          </button>
          <button type="button" aria-pressed={state.view === 'list'} onClick={() => update({ view: 'list' })}>
            List
          </button>
        </div>
        {state.view === 'grid' && (
          <label>
            Thumbnail size
            <input type="range" min={SIZE_MIN} max={SIZE_MAX} step={20} value={state.size} onChange={(e) => update({ size: Number(e.currentTarget.value) })} />
          </label>
        )}
      </form>
      {search.error && isNotAvailable(search.error) ? (
        <NotAvailable feature="Asset search">Search has not landed on this server yet.</NotAvailable>
      ) : (
        <div
          className="library"
          onDragOver={(e) => e.dataTransfer.types.includes('Files') && e.preventDefault()}
          onDrop={(e) => {
            if (!e.dataTransfer.types.includes('Files')) return;
            e.preventDefault();
            setUploading(true);
            void filesOfDrop(e.dataTransfer).then(setDropped);
          }}
        >
          <div className="library-side">
            <CollectionTree
              collections={collections.data?.collections ?? []}
              counts={treeCounts}
              total={everywhere.data?.total}
              approximate={{ counts: everywhere.data?.facetsAreEstimate ?? false, total: everywhere.data?.totalIsEstimate ?? false }}
              current={state.collection}
              onOpen={(collection) => update({ collection })}
              onMoveCollection={moves.moveCollection}
              onDropAssets={(collectionId, dropped) => {
                moves.moveAssets(collectionId, dropped);
                setIds(new Set());
              }}
            />
            <FacetSidebar
              facets={search.data?.facets ?? {}}
              approximate={search.data?.facetsAreEstimate ?? false}
              uploadedCounts={new Map(UPLOADED_PRESETS.map((preset, i) => [preset, dateCounts[i]?.count]))}
              state={state}
              collectionName={collectionName}
              personName={personName}
              onChange={(change) => update(change)}
            />
          </div>
          <div className="library-main">
            {moves.toast && <MoveToastView toast={moves.toast} busy={moves.busy} onDismiss={moves.dismiss} />}
            <BulkBar
              ids={[...ids]}
              allMatching={allMatching}
              total={search.data?.total ?? 0}
              selection={allMatching ? { query: { q: state.q, filters } } : { ids: [...ids] }}
              collections={collections.data?.collections ?? []}
              onSelectAllMatching={() => setAllMatching(true)}
              onDone={() => {
                setIds(new Set());
                setAllMatching(false);
              }}
            />
            {search.error ? (
              <ErrorNotice error={search.error} />
            ) : search.data === undefined ? (
              <Loading what="assets" />
            ) : assets.length === 0 ? (
              <EmptyState title={filtered ? 'No asset matches.' : 'No assets yet.'}>
                {filtered ? 'Try fewer words or remove a filter.' : 'Assets appear here once somebody uploads one from a panel, the Figma plugin or a script.'}
              </EmptyState>
            ) : (
              <>
                <div className="library-summary" aria-live="polite">
                  {search.data.totalIsEstimate ? 'About ' : ''}
                  {formatNumber(search.data.total)} assets{state.collection ? ` in ${collectionName(state.collection)}` : ''}
                  {viewed && !filteredBeyondCollection && (
                    <CollectionActions
                      collection={viewed}
                      assets={search.data.total}
                      others={collections.data?.collections ?? []}
                      onDeleted={() => update({ collection: '' })}
                    />
                  )}
                  {(ids.size > 0 || allMatching) && (
                    <>
                      {' · '}
                      <strong>{allMatching ? 'all' : formatNumber(ids.size)} selected</strong>{' '}
                      <button
                        type="button"
                        className="link"
                        onClick={() => {
                          setIds(new Set());
                          setAllMatching(false);
                        }}
                      >
                        Clear selection
                      </button>
                    </>
                  )}
                </div>
                {state.view === 'grid' ? (
                  <AssetGrid assets={assets} size={state.size} selection={shown} busy={search.isFetching} dragged={dragged} />
                ) : (
                  <AssetList assets={assets} selection={shown} busy={search.isFetching} dragged={dragged} />
                )}
                <Pager
                  label="Assets"
                  page={state.cursors.length + 1}
                  hasPrevious={state.cursors.length > 0}
                  hasNext={search.data.nextCursor !== null}
                  onPrevious={() => update({ cursors: state.cursors.slice(0, -1) })}
                  onNext={() => update({ cursors: [...state.cursors, search.data!.nextCursor!] })}
                />
              </>
            )}
          </div>
        </div>
      )}
    </Page>
  );
}
