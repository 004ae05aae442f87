import { useState } from 'react';
import { Link } from 'wouter';
import { DERIVATIVE_STATUSES, type DerivativeStatus } from '@stockroom/shared-types';
import { isNotAvailable, useCall, useMethod, useMethodMutation } from '../data/methods.ts';
import { useQueryClient } from '@tanstack/react-query';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, Loading, NotAvailable } from '../ui/feedback.tsx';
import { formatDate, formatNumber } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Pager } from '../ui/pager.tsx';
import { RowThumb, useHeadThumbnails } from '../ui/row-thumb.tsx';

const PAGE_SIZE = 50;
/** "Retry all failed" walks the failed jobs in pages of this size. */
const RETRY_PAGE = 200;
/** One click retries at most this many; press again for more. */
const RETRY_MAX = 10_000;
const LABELS: Record<DerivativeStatus, string> = { processing: 'Running', pending: 'Queued', failed: 'Failed', ready: 'Done' };
const ORDER: DerivativeStatus[] = ['processing', 'pending', 'failed', 'ready'];

export function JobsPage() {
  const [status, setStatus] = useState<DerivativeStatus>('failed');
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const jobs = useMethod('jobs.list', { status, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, { placeholderData: (p) => p });
  const thumbs = useHeadThumbnails((jobs.data?.jobs ?? []).map((j) => j.assetId));
  const retry = useMethodMutation('jobs.retry', ['jobs.list', 'admin.stats']);
  const call = useCall();
  const queries = useQueryClient();
  const [confirmAll, setConfirmAll] = useState(false);
  const [bulk, setBulk] = useState<string | null>(null);
  const [bulkError, setBulkError] = useState<unknown>(null);

  async function retryAllFailed() {
    setConfirmAll(false);
    setBulkError(null);
    let retried = 0;
    try {
      // The failed jobs are listed first, then retried: a retried job may fail again at once,
      // and must not be picked up twice by this loop.
      const ids: string[] = [];
      let next: string | undefined;
      do {
        const page = await call('jobs.list', { status: 'failed', limit: RETRY_PAGE, ...(next ? { cursor: next } : {}) });
        ids.push(...page.jobs.map((j) => j.id));
        next = page.nextCursor ?? undefined;
      } while (next && ids.length < RETRY_MAX);
      for (const id of ids) {
        await call('jobs.retry', { id });
        retried++;
        setBulk(`Retrying… ${formatNumber(retried)} of ${formatNumber(ids.length)}`);
      }
      setBulk(`Queued ${formatNumber(retried)} failed jobs again.`);
    } catch (error) {
      setBulkError(error);
      setBulk(null);
    }
    await queries.invalidateQueries({ queryKey: ['jobs.list'] });
    await queries.invalidateQueries({ queryKey: ['admin.stats'] });
  }

  if (jobs.error && isNotAvailable(jobs.error))
    return (
      <Page title="Jobs">
        <NotAvailable feature="The job list">The derivative jobs (thumbnails, proxies, metadata) are not available on this server yet.</NotAvailable>
      </Page>
    );

  return (
    <Page
      title="Jobs"
      actions={
        <button type="button" onClick={() => setConfirmAll(true)} disabled={bulk?.startsWith('Retrying') ?? false}>
          Retry all failed
        </button>
      }
    >
      <div className="tabs" role="group" aria-label="Job state">
        {ORDER.map((s) => (
          <button
            key={s}
            type="button"
            aria-pressed={status === s}
            className={status === s ? 'active' : undefined}
            onClick={() => {
              setStatus(s);
              setCursors([undefined]);
            }}
          >
            {LABELS[s]}
          </button>
        ))}
      </div>
      {bulk && <p role="status">{bulk}</p>}
      {bulkError !== null && <ErrorNotice error={bulkError} />}
      {retry.error && <ErrorNotice error={retry.error} />}
      {jobs.error ? (
        <ErrorNotice error={jobs.error} />
      ) : jobs.data === undefined ? (
        <Loading what="jobs" />
      ) : jobs.data.jobs.length === 0 ? (
        <EmptyState title={`No ${LABELS[status].toLowerCase()} jobs.`}>
          {status === 'failed' ? 'Every derivative was made. Failures show here with their reason.' : 'Jobs appear here when versions are checked in.'}
        </EmptyState>
      ) : (
        <>
          <table aria-busy={jobs.isFetching}>
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Version</th>
                <th scope="col">Preset</th>
                <th scope="col">Progress</th>
                <th scope="col">Attempts</th>
                <th scope="col">{status === 'failed' ? 'Reason' : 'Updated'}</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.jobs.map((j) => (
                <tr key={j.id}>
                  <td>
                    <RowThumb url={thumbs.get(j.assetId)} />
                    <Link href={`/assets/${j.assetId}`}>{j.assetName}</Link>
                  </td>
                  <td>{j.versionNumber}</td>
                  <td>{j.preset}</td>
                  <td>
                    <progress max={100} value={j.progress} aria-label={`${j.assetName} ${j.preset} progress`} /> {j.progress}%
                  </td>
                  <td>{j.attempts}</td>
                  <td>
                    {status === 'failed' ? (
                      <>
                        <code>{j.failureReason ?? 'unknown'}</code> {j.failure}
                      </>
                    ) : (
                      formatDate(j.updatedAt)
                    )}
                  </td>
                  <td>
                    {(j.status === 'failed' || j.status === 'ready') && (
                      <button
                        type="button"
                        onClick={() => retry.mutate({ id: j.id })}
                        disabled={retry.isPending}
                        aria-label={`Retry ${j.preset} of ${j.assetName}`}
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label="Jobs"
            page={cursors.length}
            hasPrevious={cursors.length > 1}
            hasNext={jobs.data.nextCursor !== null}
            onPrevious={() => setCursors(cursors.slice(0, -1))}
            onNext={() => setCursors([...cursors, jobs.data!.nextCursor ?? undefined])}
          />
        </>
      )}
      <ConfirmDialog
        open={confirmAll}
        title="Retry every failed job?"
        confirmLabel="Retry all failed"
        onCancel={() => setConfirmAll(false)}
        onConfirm={() => void retryAllFailed()}
      >
        <p>Each failed derivative is made again from the start. Files that are corrupt or unsupported will fail again with the same reason.</p>
      </ConfirmDialog>
    </Page>
  );
}
