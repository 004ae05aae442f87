import { useState, type FormEvent } from 'react';
import type { MethodParams } from '@stockroom/shared-types';
import { isNotAvailable, useMethod } from '../data/methods.ts';
import { downloadFromServer } from '../data/csv.ts';
import { EmptyState, ErrorNotice, Loading, NotAvailable } from '../ui/feedback.tsx';
import { formatDate } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { AuditTarget } from '../ui/audit-target.tsx';
import { Pager } from '../ui/pager.tsx';
import { RowThumb, useHeadThumbnails } from '../ui/row-thumb.tsx';
import { auditSentence } from '../ui/audit-sentence.ts';

const PAGE_SIZE = 50;

type Filters = Omit<MethodParams<'audit.query'> & object, 'limit' | 'cursor'>;

export function AuditPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const audit = useMethod('audit.query', { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, { placeholderData: (p) => p });
  const thumbs = useHeadThumbnails((audit.data?.events ?? []).filter((e) => e.targetType === 'asset').map((e) => e.targetId));
  const people = useMethod('users.list', { includeDisabled: true });
  const names = new Map((people.data?.users ?? []).map((u) => [u.id, u.name]));
  const nameOf = (id: string) => names.get(id);
  const [exporting, setExporting] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const instant = (name: string) => (text(name) ? new Date(text(name)).toISOString() : undefined);
    const next: Filters = {};
    if (text('action')) next.action = text('action');
    if (text('targetType')) next.targetType = text('targetType');
    if (text('targetId')) next.targetId = text('targetId');
    if (text('clientApp')) next.clientApp = text('clientApp');
    if (text('actorId')) next.actorId = text('actorId');
    if (instant('from')) next.from = instant('from');
    if (instant('to')) next.to = instant('to');
    setFilters(next);
    setCursors([undefined]);
  }

  /** The server writes the CSV (every matching row, formulas escaped); the dashboard only saves it. */
  async function exportCsv() {
    setExportError(null);
    setExporting('Exporting…');
    try {
      const query = new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      await downloadFromServer(`/api/audit/export.csv?${query}`, 'stockroom-audit.csv');
      setExporting('Exported every matching row.');
    } catch (error) {
      setExporting(null);
      setExportError(error);
    }
  }

  if (audit.error && isNotAvailable(audit.error))
    return (
      <Page title="Audit log">
        <NotAvailable feature="The audit log" />
      </Page>
    );

  return (
    <Page
      title="Audit log"
      actions={
        <button type="button" onClick={() => void exportCsv()} disabled={exporting?.startsWith('Exporting') ?? false}>
          Export CSV
        </button>
      }
    >
      <form className="toolbar wrap" aria-label="Filter the audit log" onSubmit={apply}>
        <label>
          Action
          <input name="action" placeholder="asset.forceUnlock or auth." />
        </label>
        <label>
          Target type
          <input name="targetType" placeholder="asset" />
        </label>
        <label>
          Target id
          <input name="targetId" />
        </label>
        <label>
          App
          <input name="clientApp" placeholder="photoshop" />
        </label>
        <label>
          Person
          <select name="actorId" defaultValue="">
            <option value="">Anybody</option>
            {(people.data?.users ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.email})
              </option>
            ))}
          </select>
        </label>
        <label>
          From
          <input name="from" type="datetime-local" />
        </label>
        <label>
          To
          <input name="to" type="datetime-local" />
        </label>
        <button type="submit" className="primary">
          Filter
        </button>
      </form>
      {exporting && <p role="status">{exporting}</p>}
      {exportError !== null && <ErrorNotice error={exportError} />}
      {audit.error ? (
        <ErrorNotice error={audit.error} />
      ) : audit.data === undefined ? (
        <Loading what="the audit log" />
      ) : audit.data.events.length === 0 ? (
        <EmptyState title={Object.keys(filters).length ? 'Nothing matches these filters.' : 'The audit log is empty.'}>
          Every change made through the bridge is recorded here.
        </EmptyState>
      ) : (
        <>
          <table aria-busy={audit.isFetching}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">App</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {audit.data.events.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.at)}</td>
                  <td>{e.actor?.name ?? 'system'}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.targetType === 'asset' && <RowThumb url={thumbs.get(e.targetId)} />}
                    <AuditTarget event={e} />
                  </td>
                  <td>{e.clientApp ?? '—'}</td>
                  <td className="details">{auditSentence(e, nameOf)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager
            label="Audit log"
            page={cursors.length}
            hasPrevious={cursors.length > 1}
            hasNext={audit.data.nextCursor !== null}
            onPrevious={() => setCursors(cursors.slice(0, -1))}
            onNext={() => setCursors([...cursors, audit.data!.nextCursor ?? undefined])}
          />
        </>
      )}
    </Page>
  );
}
