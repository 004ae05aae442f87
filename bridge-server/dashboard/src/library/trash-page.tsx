import { useState } from 'react';
import type { Asset, BulkResult } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { formatBytes, formatDate, formatNumber } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Pager } from '../ui/pager.tsx';
import { Thumbnail } from './thumbnail.tsx';

const PAGE_SIZE = 50;
const DAY_MS = 24 * 3600_000;

/** Deleted assets, restorable until the retention period ends. */
export function TrashPage() {
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const trash = useMethod('library.trash', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, { placeholderData: (previous) => previous });
  const restore = useMethodMutation('library.restore', ['library.trash', 'assets.search', 'admin.stats']);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirm, setConfirm] = useState<Asset[] | null>(null);
  const [outcome, setOutcome] = useState<BulkResult | null>(null);

  function toggle(id: string, on: boolean) {
    const next = new Set(selected);
    on ? next.add(id) : next.delete(id);
    setSelected(next);
  }

  return (
    <Page title="Trash">
      {outcome && (
        <div className={outcome.failed.length ? 'error' : 'notice'} role={outcome.failed.length ? 'alert' : 'status'}>
          Restored {formatNumber(outcome.done)} of {formatNumber(outcome.matched)} assets.
          {outcome.failed.map((f) => (
            <div key={f.assetId}>
              {f.name || f.assetId}: {f.message}
            </div>
          ))}
        </div>
      )}
      <QueryState query={trash} what="the trash" feature="The trash">
        {(data) => (
          <>
            <p className="muted">
              Deleted assets stay here for {data.retentionDays} days, then are removed for good. Restoring puts an asset back where it was, with all its
              versions.
            </p>
            {data.assets.length === 0 ? (
              <EmptyState title="The trash is empty.">Assets deleted in the library, a panel or a script appear here.</EmptyState>
            ) : (
              <>
                <div className="bulk-bar" role="toolbar" aria-label="Trash actions">
                  <span className="bulk-count">{formatNumber(selected.size)} selected</span>
                  <button
                    type="button"
                    className="primary"
                    disabled={selected.size === 0}
                    onClick={() => setConfirm(data.assets.filter((a) => selected.has(a.id)))}
                  >
                    Restore selected
                  </button>
                </div>
                <table aria-busy={trash.isFetching}>
                  <thead>
                    <tr>
                      <th scope="col">
                        <span className="visually-hidden">Selected</span>
                      </th>
                      <th scope="col">
                        <span className="visually-hidden">Thumbnail</span>
                      </th>
                      <th scope="col">Name</th>
                      <th scope="col">Kind</th>
                      <th scope="col">Size</th>
                      <th scope="col">Deleted</th>
                      <th scope="col">Removed for good</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.assets.map((asset) => (
                      <tr key={asset.id} className={selected.has(asset.id) ? 'selected' : undefined}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${asset.name}`}
                            checked={selected.has(asset.id)}
                            onChange={(e) => toggle(asset.id, e.currentTarget.checked)}
                          />
                        </td>
                        <td className="list-thumb">
                          <Thumbnail asset={asset} url={undefined} />
                        </td>
                        <td>{asset.name}</td>
                        <td>{asset.kind}</td>
                        <td>{asset.head ? formatBytes(asset.head.size) : '—'}</td>
                        <td>{asset.deletedAt ? formatDate(asset.deletedAt) : '—'}</td>
                        <td>{asset.deletedAt ? formatDate(new Date(Date.parse(asset.deletedAt) + data.retentionDays * DAY_MS).toISOString()) : '—'}</td>
                        <td>
                          <button type="button" aria-label={`Restore ${asset.name}`} onClick={() => setConfirm([asset])}>
                            Restore
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <Pager
                  label="Trash"
                  page={cursors.length + 1}
                  hasPrevious={cursors.length > 0}
                  hasNext={data.nextCursor !== null}
                  onPrevious={() => setCursors(cursors.slice(0, -1))}
                  onNext={() => setCursors([...cursors, data.nextCursor!])}
                  summary={`${formatNumber(data.total)} deleted assets`}
                />
              </>
            )}
          </>
        )}
      </QueryState>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm?.length === 1 ? `Restore “${confirm[0]!.name}”?` : `Restore ${formatNumber(confirm?.length ?? 0)} assets?`}
        confirmLabel="Restore"
        busy={restore.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          confirm &&
          restore.mutate(
            { ids: confirm.map((a) => a.id) },
            {
              onSuccess: (result) => {
                setOutcome(result);
                setSelected(new Set());
                setConfirm(null);
              },
            },
          )
        }
      >
        <p>They go back to their collections and reappear in search and in the panels.</p>
        {restore.error && <ErrorNotice error={restore.error} />}
      </ConfirmDialog>
    </Page>
  );
}
