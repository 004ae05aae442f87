import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import type { Asset, Derivative, Version } from '@stockroom/shared-types';
import { isNotAvailable, useMethod, useMethodMutation } from '../data/methods.ts';
import { useSession } from '../session/session.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, NotAvailable, QueryState } from '../ui/feedback.tsx';
import { ageSince, formatBytes, formatDate } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { ArrayPager, pageOf } from '../ui/pager.tsx';
import { AssetFieldsSection } from '../metadata/asset-fields-form.tsx';
import { FileFacts } from '../metadata/file-facts.tsx';
import { TagInput } from '../metadata/tag-input.tsx';
import { VersionThumb } from '../ui/row-thumb.tsx';

const VERSIONS_PER_PAGE = 10;
const PLACEMENTS_PER_PAGE = 10;

export function AssetPage({ id }: { id: string }) {
  const asset = useMethod('assets.get', { id });
  return (
    <Page
      title={asset.data?.name ?? 'Asset'}
      actions={
        <>
          <Link href={`/assets/${id}/review`}>Review and comments</Link> <Link href="/assets">Back to assets</Link>
        </>
      }
    >
      <QueryState query={asset} what="the asset">
        {(a) => (
          <div className="asset-layout">
            <div>
              <Preview asset={a} />
              <LockPanel asset={a} />
              <MetadataForm key={a.id} asset={a} />
              <AssetFieldsSection assetId={a.id} />
              <FileFacts head={a.head} />
            </div>
            <div>
              <Versions asset={a} />
              <Derivatives asset={a} />
              <Placements assetId={a.id} />
            </div>
          </div>
        )}
      </QueryState>
    </Page>
  );
}

function Preview({ asset }: { asset: Asset }) {
  const { csrfToken } = useSession();
  const derivatives = useMethod('derivatives.list', { assetId: asset.id });
  const head = asset.head;
  if (!head) return <EmptyState title="This asset has no version yet." />;
  // Media elements cannot send a bearer token: the bytes need the cookie session.
  if (!csrfToken) return <p className="muted">Previews need a password sign-in (a browser session); this tab is signed in with an API token.</p>;
  const ready = (derivatives.data?.derivatives ?? []).filter((d) => d.status === 'ready' && d.contentUrl);
  const proxy = ready.find((d) => d.mimeType?.startsWith('video/')) ?? ready.find((d) => d.mimeType?.startsWith('audio/'));
  const still = ready.find((d) => d.preset === 'preview') ?? ready.find((d) => d.preset === 'poster') ?? ready.find((d) => d.mimeType?.startsWith('image/'));
  if (head.mimeType.startsWith('video/') || head.mimeType.startsWith('audio/')) {
    if (derivatives.isPending && !derivatives.error) return null;
    return proxy ? (
      <Player src={proxy.contentUrl!} mimeType={proxy.mimeType ?? head.mimeType} caption={`${proxy.preset} of version ${proxy.versionNumber}`} />
    ) : (
      <Player src={head.contentUrl} mimeType={head.mimeType} caption={`original of version ${head.number} (no proxy yet)`} />
    );
  }
  if (still) return <img className="preview" src={still.contentUrl!} alt={`Preview of ${asset.name}`} />;
  if (head.mimeType.startsWith('image/') && head.mimeType !== 'image/vnd.adobe.photoshop')
    return <img className="preview" src={head.contentUrl} alt={`Preview of ${asset.name}`} />;
  return (
    <p>
      No preview for {head.mimeType} yet. <a href={head.contentUrl}>Download version {head.number}</a>
    </p>
  );
}

/** Plays a Range-capable content URL (the proxy where there is one); the browser seeks with byte ranges. */
function Player({ src, mimeType, caption }: { src: string; mimeType: string; caption: string }) {
  const Media = mimeType.startsWith('audio/') ? 'audio' : 'video';
  return (
    <figure className="player">
      <Media controls preload="metadata" src={src} aria-label={`Player: ${caption}`} data-testid="player" />
      <figcaption>Playing the {caption}</figcaption>
    </figure>
  );
}

function Derivatives({ asset }: { asset: Asset }) {
  const derivatives = useMethod('derivatives.list', { assetId: asset.id });
  return (
    <section aria-labelledby="derivatives-title">
      <h2 id="derivatives-title">Derivatives</h2>
      {derivatives.error ? (
        isNotAvailable(derivatives.error) ? (
          <NotAvailable feature="Derivatives (thumbnails, proxies)">
            This server does not make derivatives yet; the player and preview use the original file.
          </NotAvailable>
        ) : (
          <ErrorNotice error={derivatives.error} />
        )
      ) : !derivatives.data ? null : derivatives.data.derivatives.length === 0 ? (
        <EmptyState title="No derivatives for this version.">Files of this type get none, or they are still being planned.</EmptyState>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Preset</th>
              <th scope="col">State</th>
              <th scope="col">Size</th>
              <th scope="col">File</th>
            </tr>
          </thead>
          <tbody>
            {derivatives.data.derivatives.slice(0, 50).map((d: Derivative) => (
              <tr key={d.id}>
                <td>{d.preset}</td>
                <td>{d.status}</td>
                <td>
                  {d.size !== null ? formatBytes(d.size) : '—'}
                  {d.width && d.height ? ` · ${d.width}×${d.height}` : ''}
                </td>
                <td>{d.contentUrl ? <a href={d.contentUrl}>{d.mimeType}</a> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function LockPanel({ asset }: { asset: Asset }) {
  const [confirming, setConfirming] = useState(false);
  const unlock = useMethodMutation('assets.forceUnlock', ['assets.get', 'admin.locks', 'admin.stats']);
  return (
    <section aria-labelledby="lock-title">
      <h2 id="lock-title">Lock</h2>
      {asset.lock ? (
        <p>
          Checked out by <strong>{asset.lock.holder.name}</strong> in {asset.lock.clientApp} for {ageSince(asset.lock.since)}.{' '}
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Force unlock
          </button>
        </p>
      ) : (
        <p className="muted">Not checked out.</p>
      )}
      {unlock.error && <ErrorNotice error={unlock.error} />}
      <ConfirmDialog
        open={confirming}
        title={`Force unlock “${asset.name}”?`}
        confirmLabel="Force unlock"
        danger
        busy={unlock.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => unlock.mutate({ id: asset.id }, { onSettled: () => setConfirming(false) })}
      >
        <p>{asset.lock?.holder.name} is told the lock was removed; unsaved work in their app is not checked in.</p>
      </ConfirmDialog>
    </section>
  );
}

function MetadataForm({ asset }: { asset: Asset }) {
  const update = useMethodMutation('assets.update', ['assets.get', 'assets.search']);
  const [problem, setProblem] = useState<string>();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    let metadata: Record<string, unknown>;
    try {
      metadata = JSON.parse(String(form.get('metadata') || '{}'));
      if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new Error();
    } catch {
      setProblem('Custom metadata must be a JSON object, such as {"client": "ACME"}.');
      return;
    }
    setProblem(undefined);
    update.mutate({
      id: asset.id,
      name: String(form.get('name')),
      description: String(form.get('description')),
      tags: String(form.get('tags'))
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
      metadata,
    });
  }
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="metadata-title">
      <h2 id="metadata-title">Details</h2>
      <label>
        Name
        <input name="name" defaultValue={asset.name} required maxLength={500} />
      </label>
      <label>
        Description
        <textarea name="description" defaultValue={asset.description} rows={3} />
      </label>
      <TagInput name="tags" label="Tags" defaultTags={asset.tags} />
      <details>
        <summary>Custom metadata for integrations (JSON)</summary>
        <label>
          Custom metadata (JSON)
          <textarea name="metadata" defaultValue={JSON.stringify(asset.metadata, null, 2)} rows={4} spellCheck={false} />
        </label>
      </details>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {update.error && <ErrorNotice error={update.error} />}
      {update.isSuccess && <p role="status">Saved.</p>}
      <button type="submit" className="primary" disabled={update.isPending}>
        Save details
      </button>
    </form>
  );
}

function Versions({ asset }: { asset: Asset }) {
  const versions = useMethod('versions.list', { assetId: asset.id });
  const restore = useMethodMutation('versions.restore', ['versions.list', 'assets.get', 'admin.stats']);
  const [target, setTarget] = useState<Version | null>(null);
  const [page, setPage] = useState(1);
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {restore.error && <ErrorNotice error={restore.error} />}
      <QueryState query={versions} what="versions">
        {({ versions: all }) => {
          const { rows, pages } = pageOf(all, page, VERSIONS_PER_PAGE);
          return (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Comment</th>
                    <th scope="col">Author</th>
                    <th scope="col">Size</th>
                    <th scope="col">Created</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((v) => (
                    <tr key={v.number}>
                      <td>
                        <VersionThumb assetId={asset.id} number={v.number} />
                        {v.number}
                      </td>
                      <td>{v.comment || (v.restoredFrom ? `Restored from version ${v.restoredFrom}` : '—')}</td>
                      <td>
                        {v.author.name} <span className="muted">({v.clientApp})</span>
                      </td>
                      <td>{formatBytes(v.size)}</td>
                      <td>{formatDate(v.createdAt)}</td>
                      <td>
                        {v.number === asset.headVersion ? (
                          <span className="badge">current</span>
                        ) : (
                          <button type="button" onClick={() => setTarget(v)} aria-label={`Restore version ${v.number}`}>
                            Restore
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ArrayPager label="Versions" page={page} pages={pages} onPage={setPage} />
            </>
          );
        }}
      </QueryState>
      <ConfirmDialog
        open={target !== null}
        title={`Restore version ${target?.number ?? ''}?`}
        confirmLabel="Restore"
        busy={restore.isPending}
        onCancel={() => setTarget(null)}
        onConfirm={() => {
          if (!target) return;
          restore.mutate(
            { assetId: asset.id, number: target.number, baseVersion: asset.headVersion, comment: `Restored from version ${target.number} in the dashboard` },
            { onSettled: () => setTarget(null) },
          );
        }}
      >
        <p>Its bytes become a new version {asset.headVersion + 1}; no version is lost.</p>
      </ConfirmDialog>
    </section>
  );
}

function Placements({ assetId }: { assetId: string }) {
  const placements = useMethod('placements.list', { assetId });
  const [page, setPage] = useState(1);
  return (
    <section aria-labelledby="placements-title">
      <h2 id="placements-title">Where used</h2>
      <QueryState query={placements} what="placements">
        {({ placements: all }) => {
          if (all.length === 0)
            return <EmptyState title="Not placed in any document yet.">Panels report where an asset is placed when a document is saved.</EmptyState>;
          const { rows, pages } = pageOf(all, page, PLACEMENTS_PER_PAGE);
          return (
            <>
              <table>
                <thead>
                  <tr>
                    <th scope="col">Document</th>
                    <th scope="col">App</th>
                    <th scope="col">User</th>
                    <th scope="col">Version</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <VersionThumb assetId={assetId} number={p.versionNumber} />
                        {p.documentName}
                      </td>
                      <td>{p.app}</td>
                      <td>{p.user.name}</td>
                      <td>
                        {p.versionNumber}
                        {p.updateAvailable && <span className="badge warn">update available</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ArrayPager label="Placements" page={page} pages={pages} onPage={setPage} />
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
