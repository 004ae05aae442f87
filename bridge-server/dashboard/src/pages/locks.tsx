import { useState } from 'react';
import { Link } from 'wouter';
import { CLIENT_APPS, type AdminLock } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { formatAge, formatDate } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Pager } from '../ui/pager.tsx';
import { RowThumb, useHeadThumbnails } from '../ui/row-thumb.tsx';

const PAGE_SIZE = 50;

export function LocksPage() {
  const [offset, setOffset] = useState(0);
  const [app, setApp] = useState('');
  const locks = useMethod('admin.locks', { offset, limit: PAGE_SIZE, ...(app ? { app } : {}) });
  const thumbs = useHeadThumbnails((locks.data?.locks ?? []).map((l) => l.asset.id));
  const [target, setTarget] = useState<AdminLock | null>(null);
  const [reason, setReason] = useState('');
  const unlock = useMethodMutation('assets.forceUnlock', ['admin.locks', 'admin.stats', 'assets.get']);

  return (
    <Page title="Locks">
      <div className="toolbar">
        <label>
          App
          <select
            value={app}
            onChange={(e) => {
              setApp(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">All apps</option>
            {CLIENT_APPS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
      </div>
      {unlock.error && <ErrorNotice error={unlock.error} />}
      <QueryState query={locks} what="locks">
        {(page) =>
          page.total === 0 ? (
            <EmptyState title="No asset is checked out.">
              Locks appear here when somebody checks an asset out in Photoshop, Premiere, Figma or a script.
            </EmptyState>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Asset</th>
                    <th scope="col">Holder</th>
                    <th scope="col">App</th>
                    <th scope="col">Since</th>
                    <th scope="col">Age</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.locks.map((l) => (
                    <tr key={l.asset.id}>
                      <td>
                        <RowThumb url={thumbs.get(l.asset.id)} />
                        <Link href={`/assets/${l.asset.id}`}>{l.asset.name}</Link>
                      </td>
                      <td>
                        {l.holder.name} <span className="muted">{l.holder.email}</span>
                      </td>
                      <td>{l.clientApp}</td>
                      <td>{formatDate(l.since)}</td>
                      <td>{formatAge(l.ageSeconds)}</td>
                      <td>
                        <button type="button" className="danger" onClick={() => (setReason(''), setTarget(l))} aria-label={`Force unlock ${l.asset.name}`}>
                          Force unlock
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                label="Locks"
                page={offset / PAGE_SIZE + 1}
                hasPrevious={offset > 0}
                hasNext={offset + PAGE_SIZE < page.total}
                onPrevious={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                onNext={() => setOffset(offset + PAGE_SIZE)}
                summary={`${page.total} locks`}
              />
            </>
          )
        }
      </QueryState>
      <ConfirmDialog
        open={target !== null}
        title={`Force unlock “${target?.asset.name ?? ''}”?`}
        confirmLabel="Force unlock"
        danger
        busy={unlock.isPending}
        onCancel={() => setTarget(null)}
        onConfirm={() => {
          if (!target) return;
          unlock.mutate({ id: target.asset.id, ...(reason.trim() ? { reason: reason.trim() } : {}) }, { onSettled: () => setTarget(null) });
        }}
      >
        <p>
          {target?.holder.name} has had it checked out in {target?.clientApp} for {target ? formatAge(target.ageSeconds) : ''}. Unsaved work in their app is not
          checked in; they are told the lock was removed.
        </p>
        <label>
          Reason (shown to {target?.holder.name})
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={1000} />
        </label>
      </ConfirmDialog>
    </Page>
  );
}
