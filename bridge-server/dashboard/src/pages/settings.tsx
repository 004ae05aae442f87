import { useMethod } from '../data/methods.ts';
import { QueryState } from '../ui/feedback.tsx';
import { Page } from '../ui/page.tsx';

/** Read-only: the server's configuration comes from its environment; the page shows what is in force. */
export function SettingsPage() {
  const settings = useMethod('admin.settings', {});
  return (
    <Page title="Settings">
      <QueryState query={settings} what="settings">
        {(s) => (
          <>
            <p className="muted">
              These values come from the server’s environment variables and are read-only here; change them in the server’s configuration and restart it.
            </p>
            <dl className="facts">
              <div>
                <dt>Server version</dt>
                <dd>{s.serverVersion}</dd>
              </div>
              <div>
                <dt>Blob storage</dt>
                <dd>{s.storage.backend === 's3' ? 'S3 / MinIO' : 'Local disk'}</dd>
              </div>
              <div>
                <dt>Search</dt>
                <dd>{s.search.backend === 'typesense' ? 'Typesense' : 'PostgreSQL full text'}</dd>
              </div>
            </dl>
            <section aria-labelledby="limits-title">
              <h2 id="limits-title">Limits</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Setting</th>
                    <th scope="col">Value</th>
                    <th scope="col">Meaning</th>
                  </tr>
                </thead>
                <tbody>
                  {s.limits.map((l) => (
                    <tr key={l.name}>
                      <td>
                        <code>{l.name}</code>
                      </td>
                      <td>{l.value}</td>
                      <td>{l.description}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="presets-title">
              <h2 id="presets-title">Derivative presets</h2>
              <p className="muted">
                Read-only: presets come from the file named by <code>DERIVATIVE_PRESETS_FILE</code>. After changing it, run{' '}
                <code>stockroom derivatives regenerate --all</code>.
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Sources</th>
                    <th scope="col">Preset</th>
                    <th scope="col">Settings</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(s.presets).flatMap(([family, presets]) =>
                    Object.entries(presets).map(([name, spec]) => (
                      <tr key={`${family}/${name}`}>
                        <td>{family}</td>
                        <td>
                          <code>{name}</code>
                        </td>
                        <td>
                          {Object.entries(spec)
                            .map(([k, v]) => `${k}: ${String(v)}`)
                            .join(' · ')}
                        </td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </section>
          </>
        )}
      </QueryState>
    </Page>
  );
}
