import { useState } from 'react';
import type { ShareLink } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { ShareLinkForm } from '../review/share-form.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { EmptyState, ErrorNotice, QueryState } from '../ui/feedback.tsx';
import { formatDate } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';

/** Every share link the user may manage: create one for a collection, see its usage, revoke it. */
export function SharesPage() {
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const links = useMethod('shares.list', { includeRevoked });
  const [usageOf, setUsageOf] = useState<ShareLink | null>(null);
  const [revoking, setRevoking] = useState<ShareLink | null>(null);
  const revoke = useMethodMutation('shares.revoke', ['shares.list', 'shares.usage']);
  return (
    <Page title="Share links">
      <CreateCollectionLink />
      <div className="toolbar">
        <label className="inline">
          <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} /> Show revoked links
        </label>
      </div>
      <QueryState query={links} what="the share links">
        {(data) =>
          data.links.length === 0 ? (
            <EmptyState title="No share links yet.">Create one above for a collection, or from an asset’s review page.</EmptyState>
          ) : (
            <table aria-label="Share links">
              <thead>
                <tr>
                  <th scope="col">Link</th>
                  <th scope="col">Shows</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Guests may</th>
                  <th scope="col">Views</th>
                  <th scope="col">Downloads</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {data.links.map((link) => (
                  <tr key={link.id} className={usageOf?.id === link.id ? 'selected' : undefined}>
                    <td>
                      {link.name} <code className="muted small">{link.prefix}…</code>
                      {link.hasPassword && <span className="badge">password</span>}
                      {link.revokedAt && <span className="badge warn">revoked</span>}
                    </td>
                    <td>
                      {link.target.kind === 'asset' ? 'Asset' : 'Collection'}: {link.targetName}
                    </td>
                    <td>{link.expiresAt ? formatDate(link.expiresAt) : 'never'}</td>
                    <td>{[link.allowComments && 'comment', link.allowDownload && 'download'].filter(Boolean).join(', ') || 'only look'}</td>
                    <td>{link.views}</td>
                    <td>{link.downloads}</td>
                    <td>{link.lastAccessAt ? formatDate(link.lastAccessAt) : '—'}</td>
                    <td>
                      <button type="button" className="link" onClick={() => setUsageOf(link)}>
                        Usage
                      </button>{' '}
                      {!link.revokedAt && (
                        <button type="button" className="link danger" onClick={() => setRevoking(link)}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
      {usageOf && <Usage link={usageOf} />}
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this share link?"
        confirmLabel="Revoke link"
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id }, { onSuccess: () => setRevoking(null) })}
      >
        <p>Anybody who opens “{revoking?.name}” from now on sees that it was turned off. This cannot be undone; create a new link to share again.</p>
      </ConfirmDialog>
      {revoke.error && <ErrorNotice error={revoke.error} />}
    </Page>
  );
}

function Usage({ link }: { link: ShareLink }) {
  const usage = useMethod('shares.usage', { id: link.id, limit: 200 });
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Usage of “{link.name}”</h2>
      <QueryState query={usage} what="the usage">
        {(data) =>
          data.accesses.length === 0 ? (
            <EmptyState title="Nobody has opened this link yet." />
          ) : (
            <table aria-label="Usage">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Details</th>
                  <th scope="col">Address</th>
                  <th scope="col">Browser</th>
                </tr>
              </thead>
              <tbody>
                {data.accesses.map((a, i) => (
                  <tr key={i}>
                    <td>{formatDate(a.at)}</td>
                    <td>{a.kind}</td>
                    <td>{a.detail}</td>
                    <td>{a.ip ?? '—'}</td>
                    <td className="details">{a.userAgent ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryState>
    </section>
  );
}

function CreateCollectionLink() {
  return (
    <section className="card" aria-labelledby="new-share-title">
      <h2 id="new-share-title">Share a collection</h2>
      <ShareLinkForm defaultDays={14} />
    </section>
  );
}
