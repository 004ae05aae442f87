import type { ReactNode } from 'react';
import type { StockroomError } from '@stockroom/shared-types';
import { isNotAvailable } from '../data/methods.ts';

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty" role="status">
      <p className="empty-title">{title}</p>
      {children && <div className="empty-hint">{children}</div>}
    </div>
  );
}

/** Shown where a page needs a server feature that this server does not have yet. */
export function NotAvailable({ feature, children }: { feature: string; children?: ReactNode }) {
  return (
    <div className="not-available" role="status">
      <p className="empty-title">{feature} is not available on this server yet.</p>
      <div className="empty-hint">{children ?? 'Update the bridge server to a version that has it; the rest of the dashboard works without it.'}</div>
    </div>
  );
}

export function ErrorNotice({ error }: { error: unknown }) {
  const message = (error as Error)?.message ?? String(error);
  return (
    <div className="error" role="alert">
      {message}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** Loading / unavailable / error states of one query, or its content. */
export function QueryState<T>({
  query,
  what,
  feature,
  children,
}: {
  query: { isPending: boolean; error: StockroomError | null; data: T | undefined };
  what: string;
  feature?: string;
  children: (data: T) => ReactNode;
}) {
  if (query.error) return isNotAvailable(query.error) ? <NotAvailable feature={feature ?? what} /> : <ErrorNotice error={query.error} />;
  if (query.isPending || query.data === undefined) return <Loading what={what} />;
  return <>{children(query.data)}</>;
}
