import { useCallback, useMemo } from 'react';
import { useLocation, useSearch } from 'wouter';
import { ASSET_KINDS, REVIEW_STATUSES, SEARCH_SORTS, type AssetKind, type ReviewStatus, type SearchFilters, type SearchSort } from '@stockroom/shared-types';

export type LibraryView = 'grid' | 'list';

/** Everything that decides what the library shows. It lives in the URL only, so Back, reload and shared links give the same view. */
export interface LibraryState {
  q: string;
  kind: AssetKind[];
  collection: string;
  tags: string[];
  locked: '' | 'yes' | 'no';
  /** The head version's review status (docs/review.md). */
  review: ReviewStatus | '';
  /** Uploaded by any of these people (user ids). */
  by: string[];
  /** Uploaded within a recent period (counted in whole local days), or between two days (YYYY-MM-DD, both included). */
  uploaded: UploadedPreset | '';
  from: string;
  to: string;
  sort: SearchSort;
  view: LibraryView;
  /** Thumbnail cell size in px (the size slider). */
  size: number;
  /** Cursors of the pages before the current one and the current one (`nextCursor` of each earlier page). */
  cursors: string[];
}

export const UPLOADED_PRESETS = ['today', '7d', '30d', '365d'] as const;
export type UploadedPreset = (typeof UPLOADED_PRESETS)[number];
const PRESET_DAYS: Record<UploadedPreset, number> = { today: 0, '7d': 6, '30d': 29, '365d': 364 };
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Local midnight of a YYYY-MM-DD day, or of today minus `daysBack`: whole days keep the query (and its cache key) stable all day. */
function midnight(day?: string, daysBack = 0): Date {
  const d = day ? new Date(`${day}T00:00:00`) : new Date();
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - daysBack);
  return d;
}

/** The instant a preset starts at (local midnight), as the search's `createdSince` wants it. */
export const presetStart = (preset: UploadedPreset): string => midnight(undefined, PRESET_DAYS[preset]).toISOString();

/** Whether an upload-date filter narrows the view. */
export const datedView = (state: LibraryState): boolean => Boolean(state.uploaded || state.from || state.to);

export const SIZE_MIN = 120;
export const SIZE_MAX = 320;
export const SIZE_DEFAULT = 180;

export function parseLibraryState(search: string): LibraryState {
  const p = new URLSearchParams(search);
  const list = (name: string) => p.getAll(name).filter(Boolean);
  const sort = p.get('sort') ?? '';
  const size = Number(p.get('size'));
  const locked = p.get('locked');
  const review = p.get('review') ?? '';
  const uploaded = p.get('uploaded') ?? '';
  const day = (name: string) => {
    const v = p.get(name) ?? '';
    return DAY.test(v) && !Number.isNaN(midnight(v).getTime()) ? v : '';
  };
  return {
    q: p.get('q') ?? '',
    kind: list('kind').filter((k): k is AssetKind => (ASSET_KINDS as readonly string[]).includes(k)),
    collection: p.get('collection') ?? '',
    tags: list('tag'),
    by: list('by'),
    locked: locked === 'yes' || locked === 'no' ? locked : '',
    review: (REVIEW_STATUSES as readonly string[]).includes(review) ? (review as ReviewStatus) : '',
    uploaded: (UPLOADED_PRESETS as readonly string[]).includes(uploaded) ? (uploaded as UploadedPreset) : '',
    from: day('from'),
    to: day('to'),
    sort: (SEARCH_SORTS as readonly string[]).includes(sort) ? (sort as SearchSort) : 'newest',
    view: p.get('view') === 'list' ? 'list' : 'grid',
    size: Number.isFinite(size) && size >= SIZE_MIN && size <= SIZE_MAX ? size : SIZE_DEFAULT,
    cursors: list('page'),
  };
}

export function formatLibraryState(state: LibraryState): string {
  const p = new URLSearchParams();
  if (state.q) p.set('q', state.q);
  for (const k of state.kind) p.append('kind', k);
  if (state.collection) p.set('collection', state.collection);
  for (const t of state.tags) p.append('tag', t);
  for (const b of state.by) p.append('by', b);
  if (state.locked) p.set('locked', state.locked);
  if (state.review) p.set('review', state.review);
  if (state.uploaded) p.set('uploaded', state.uploaded);
  if (state.from) p.set('from', state.from);
  if (state.to) p.set('to', state.to);
  if (state.sort !== 'newest') p.set('sort', state.sort);
  if (state.view !== 'grid') p.set('view', state.view);
  if (state.size !== SIZE_DEFAULT) p.set('size', String(state.size));
  for (const c of state.cursors) p.append('page', c);
  const text = p.toString();
  return text ? `?${text}` : '';
}

/** The search filters a library state asks for. */
export function filtersOf(state: LibraryState): SearchFilters {
  return {
    ...(state.kind.length ? { kind: state.kind } : {}),
    ...(state.collection ? { collectionId: state.collection } : {}),
    ...(state.tags.length ? { tags: state.tags } : {}),
    ...(state.locked ? { locked: state.locked === 'yes' } : {}),
    ...(state.review ? { reviewStatus: [state.review] } : {}),
    ...(state.by.length ? { createdById: state.by } : {}),
    ...uploadedRange(state),
  };
}

function uploadedRange(state: LibraryState): Pick<SearchFilters, 'createdAt'> {
  if (state.uploaded) return { createdAt: { from: presetStart(state.uploaded) } };
  if (!state.from && !state.to) return {};
  const to = state.to ? midnight(state.to) : null;
  to?.setDate(to.getDate() + 1); // the whole last day
  return { createdAt: { ...(state.from ? { from: midnight(state.from).toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) } };
}

/**
 * The library state and a setter. A change of what is searched starts again at page 1 and
 * adds a history entry; view and size changes replace the entry (Back should not step through slider positions).
 */
export function useLibraryState(): [LibraryState, (change: Partial<LibraryState>, options?: { replace?: boolean }) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const state = useMemo(() => parseLibraryState(search), [search]);
  const update = useCallback(
    (change: Partial<LibraryState>, options: { replace?: boolean } = {}) => {
      const searched = (['q', 'kind', 'collection', 'tags', 'by', 'locked', 'review', 'uploaded', 'from', 'to', 'sort'] as const).some((key) => key in change);
      const next = { ...state, ...(searched && !('cursors' in change) ? { cursors: [] } : {}), ...change };
      const replace = options.replace ?? (!searched && !('cursors' in change));
      navigate(`${location}${formatLibraryState(next)}`, { replace });
    },
    [state, location, navigate],
  );
  return [state, update];
}
