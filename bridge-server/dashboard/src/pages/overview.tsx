import { useState } from 'react';
import { useMethod } from '../data/methods.ts';
import { BarChart } from '../ui/bar-chart.tsx';
import { EmptyState, QueryState } from '../ui/feedback.tsx';
import { ageSince, formatBytes, formatNumber, formatTime } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Pager, pageOf } from '../ui/pager.tsx';

const APP_NAMES: Record<string, string> = {
  photoshop: 'Photoshop',
  premiere: 'Premiere Pro',
  figma: 'Figma',
  dashboard: 'Dashboard',
  web: 'Web',
  script: 'Scripts',
  other: 'Other',
};
const CLIENTS_PER_PAGE = 10;

export function OverviewPage() {
  const stats = useMethod('admin.stats', { days: 30 });
  return (
    <Page title="Overview">
      <QueryState query={stats} what="the overview">
        {(s) => (
          <>
            <div className="cards">
              <Card title="Assets" value={formatNumber(s.assets.total)} testId="stat-assets">
                <Breakdown rows={s.assets.byKind.map((k) => [k.kind, formatNumber(k.count)])} empty="No assets yet." />
              </Card>
              <Card title="Storage used" value={formatBytes(s.storage.totalBytes)} testId="stat-storage">
                <Breakdown rows={s.storage.byKind.map((k) => [k.kind, formatBytes(k.bytes)])} empty="Nothing stored yet." />
              </Card>
              <Card title="Job queue" value={s.queue ? `${formatNumber(s.queue.queued)} queued` : '—'} testId="stat-queue">
                {s.queue ? (
                  <Breakdown
                    rows={[
                      ['running', formatNumber(s.queue.running)],
                      ['failed', formatNumber(s.queue.failed)],
                    ]}
                    empty=""
                  />
                ) : (
                  <p className="muted">The job queue is not available on this server yet.</p>
                )}
              </Card>
              <Card title="Search index lag" value={s.search ? lagText(s.search) : '—'} testId="stat-search">
                {s.search ? (
                  <Breakdown rows={s.search.map((b) => [b.backend, `${lagOf(b)} changes behind`])} empty="" />
                ) : (
                  <p className="muted">No search indexer runs on this server yet.</p>
                )}
              </Card>
              <Card title="Locks" value={formatNumber(s.locks)} testId="stat-locks">
                <p className="muted">Assets checked out right now.</p>
              </Card>
              <Card title="Connected clients" value={formatNumber(s.clients.total)} testId="stat-clients">
                <Breakdown rows={s.clients.byApp.map((a) => [APP_NAMES[a.app] ?? a.app, formatNumber(a.count)])} empty="Nobody is connected." />
              </Card>
            </div>
            <BarChart title="Versions per day, last 30 days" data={s.versionsPerDay.map((d) => ({ label: d.day, value: d.count }))} />
            <p className="muted small">Updated live · figures from {formatTime(s.generatedAt)}</p>
          </>
        )}
      </QueryState>
      <ConnectedClients />
    </Page>
  );
}

function lagOf(b: { lag: number; lagCap: number }): string {
  return b.lag >= b.lagCap ? `more than ${formatNumber(b.lagCap)}` : formatNumber(b.lag);
}

function lagText(backends: Array<{ lag: number; lagCap: number }>): string {
  const worst = backends.reduce((a, b) => (b.lag > a.lag ? b : a));
  return worst.lag === 0 ? 'up to date' : `${lagOf(worst)} behind`;
}

function Card({ title, value, testId, children }: { title: string; value: string; testId: string; children: React.ReactNode }) {
  return (
    <section className="card stat" aria-label={title} data-testid={testId}>
      <h2>{title}</h2>
      <p className="stat-value">{value}</p>
      {children}
    </section>
  );
}

function Breakdown({ rows, empty }: { rows: Array<[string, string]>; empty: string }) {
  if (rows.length === 0) return empty ? <p className="muted">{empty}</p> : null;
  return (
    <dl className="breakdown">
      {rows.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ConnectedClients() {
  const clients = useMethod('admin.clients', {});
  const [page, setPage] = useState(1);
  return (
    <section aria-labelledby="clients-title">
      <h2 id="clients-title">Connected clients</h2>
      <QueryState query={clients} what="connected clients">
        {({ clients: all }) => {
          if (all.length === 0)
            return <EmptyState title="No client is connected.">Panels, plugins and dashboards appear here while they are connected.</EmptyState>;
          const { rows, pages } = pageOf(all, page, CLIENTS_PER_PAGE);
          return (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">App</th>
                    <th scope="col">User</th>
                    <th scope="col">Version</th>
                    <th scope="col">Machine</th>
                    <th scope="col">Connected for</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => (
                    <tr key={c.sessionId}>
                      <td>{APP_NAMES[c.client.app] ?? c.client.app}</td>
                      <td>{c.user.name}</td>
                      <td>{[c.client.appVersion, c.client.pluginVersion && `plugin ${c.client.pluginVersion}`].filter(Boolean).join(' · ') || '—'}</td>
                      <td>{c.client.machine ?? c.address ?? '—'}</td>
                      <td>{ageSince(c.connectedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager
                label="Connected clients"
                page={Math.min(page, pages)}
                hasPrevious={page > 1}
                hasNext={page < pages}
                onPrevious={() => setPage(page - 1)}
                onNext={() => setPage(page + 1)}
                summary={`${all.length} clients`}
              />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
