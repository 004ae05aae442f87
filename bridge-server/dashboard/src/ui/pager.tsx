/** Previous / next paging for every list (no list is ever loaded whole). */
export function Pager({
  label,
  page,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  summary,
}: {
  label: string;
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  summary?: string;
}) {
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={onPrevious} disabled={!hasPrevious}>
        Previous
      </button>
      <span aria-live="polite">
        Page {page}
        {summary ? ` · ${summary}` : ''}
      </span>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next
      </button>
    </nav>
  );
}

/** Pages of an array shown `pageOf` at a time: nothing when it all fits on one page. */
export function ArrayPager({ label, page, pages, onPage }: { label: string; page: number; pages: number; onPage: (page: number) => void }) {
  if (pages <= 1) return null;
  return <Pager label={label} page={page} hasPrevious={page > 1} hasNext={page < pages} onPrevious={() => onPage(page - 1)} onNext={() => onPage(page + 1)} />;
}

/** A page of an array the server already bounds (e.g. a user's tokens), shown `size` rows at a time. */
export function pageOf<T>(items: T[], page: number, size: number): { rows: T[]; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(page, pages);
  return { rows: items.slice((current - 1) * size, current * size), pages };
}
