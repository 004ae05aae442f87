import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ASSET_KINDS, REVIEW_STATUSES, SEARCH_SORTS, type AssetKind, type ReviewStatus, type SearchSort } from '@stockroom/shared-types';
import { isNotAvailable, useMethod } from '../data/methods.ts';
import { EmptyState, ErrorNotice, Loading, NotAvailable } from '../ui/feedback.tsx';
import { formatBytes, formatDate, formatNumber } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Pager } from '../ui/pager.tsx';

const PAGE_SIZE = 50;

interface Filters {
  q: string;
  kind: AssetKind | '';
  locked: '' | 'yes' | 'no';
  review: ReviewStatus | '';
  sort: SearchSort;
}

const REVIEW_LABELS: Record<ReviewStatus, string> = { in_review: 'In review', changes_requested: 'Changes requested', approved: 'Approved' };

export function AssetsPage() {
  const [filters, setFilters] = useState<Filters>({ q: '', kind: '', locked: '', review: '', sort: 'newest' });
  /** Cursors of the pages before this one, for "Previous". */
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const search = useMethod(
    'assets.search',
    {
      q: filters.q,
      sort: filters.q ? (filters.sort === 'newest' ? 'relevance' : filters.sort) : filters.sort === 'relevance' ? 'newest' : filters.sort,
      limit: PAGE_SIZE,
      filters: {
        ...(filters.kind ? { kind: [filters.kind] } : {}),
        ...(filters.locked ? { locked: filters.locked === 'yes' } : {}),
        ...(filters.review ? { reviewStatus: [filters.review] } : {}),
      },
      ...(cursor ? { cursor } : {}),
    },
    { placeholderData: (previous) => previous },
  );

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters({
      q: String(form.get('q') ?? '').trim(),
      kind: String(form.get('kind') ?? '') as Filters['kind'],
      locked: String(form.get('locked') ?? '') as Filters['locked'],
      review: String(form.get('review') ?? '') as Filters['review'],
      sort: String(form.get('sort') ?? 'newest') as SearchSort,
    });
    setCursors([undefined]);
  }

  return (
    <Page title="Assets">
      <form className="toolbar" role="search" aria-label="Find assets" onSubmit={apply}>
        <label className="grow">
          Search
          <input name="q" type="search" defaultValue={filters.q} placeholder="Name, tag, description…" />
        </label>
        <label>
          Kind
          <select name="kind" defaultValue={filters.kind}>
            <option value="">Any kind</option>
            {ASSET_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Checked out
          <select name="locked" defaultValue={filters.locked}>
            <option value="">Either</option>
            <option value="yes">Checked out</option>
            <option value="no">Not checked out</option>
          </select>
        </label>
        <label>
          Review
          <select name="review" defaultValue={filters.review}>
            <option value="">Any status</option>
            {REVIEW_STATUSES.map((r) => (
              <option key={r} value={r}>
                {REVIEW_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort
          <select name="sort" defaultValue={filters.sort}>
            {SEARCH_SORTS.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {search.error ? (
        isNotAvailable(search.error) ? (
          <>
            <NotAvailable feature="Asset search">Search has not landed on this server yet. You can still open an asset by its id.</NotAvailable>
            <OpenById />
          </>
        ) : (
          <ErrorNotice error={search.error} />
        )
      ) : search.data === undefined ? (
        <Loading what="assets" />
      ) : search.data.hits.length === 0 ? (
        <EmptyState title={filters.q || filters.kind || filters.locked || filters.review ? 'No asset matches.' : 'No assets yet.'}>
          {filters.q || filters.kind || filters.locked || filters.review ? 'Try fewer words or remove a filter.' : 'Assets appear here once somebody uploads one from a panel, the Figma plugin or a script.'}
        </EmptyState>
      ) : (
        <>
          <table aria-busy={search.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Version</th>
                <th scope="col">Size</th>
                <th scope="col">Checked out by</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {search.data.hits.map(({ asset }) => (
                <tr key={asset.id}>
                  <td>
                    <Link href={`/assets/${asset.id}`}>{asset.name}</Link>
                  </td>
                  <td>{asset.kind}</td>
                  <td>{asset.headVersion}</td>
                  <td>{asset.head ? formatBytes(asset.head.size) : '—'}</td>
                  <td>{asset.lock ? `${asset.lock.holder.name} (${asset.lock.clientApp})` : '—'}</td>
                  <td>{formatDate(asset.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label="Assets"
            page={cursors.length}
            hasPrevious={cursors.length > 1}
            hasNext={search.data.nextCursor !== null}
            onPrevious={() => setCursors(cursors.slice(0, -1))}
            onNext={() => setCursors([...cursors, search.data!.nextCursor ?? undefined])}
            summary={`${search.data.totalIsEstimate ? 'about ' : ''}${formatNumber(search.data.total)} assets`}
          />
        </>
      )}
    </Page>
  );
}

function OpenById() {
  const [, navigate] = useLocation();
  return (
    <form
      className="toolbar"
      onSubmit={(e) => {
        e.preventDefault();
        const id = String(new FormData(e.currentTarget).get('id') ?? '').trim();
        if (id) navigate(`/assets/${id}`);
      }}
    >
      <label className="grow">
        Asset id
        <input name="id" pattern="[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}" title="An asset id such as 0b7c…-…" required />
      </label>
      <button type="submit">Open</button>
    </form>
  );
}
