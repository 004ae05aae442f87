import { useState, type FormEvent } from 'react';
import type { ShareTarget } from '@stockroom/shared-types';
import { useMethod, useMethodMutation } from '../data/methods.ts';
import { ErrorNotice } from '../ui/feedback.tsx';

/**
 * Creates a share link: for the given asset, or for a collection picked here. The link's
 * address is shown once (only its hash is stored).
 */
export function ShareLinkForm({ assetId, defaultDays }: { assetId?: string; defaultDays: number }) {
  const collections = useMethod('collections.list', {}, { enabled: assetId === undefined });
  const create = useMethodMutation('shares.create', ['shares.list']);
  const [collectionId, setCollectionId] = useState('');
  const [days, setDays] = useState(String(defaultDays));
  const [password, setPassword] = useState('');
  const [allowDownload, setAllowDownload] = useState(false);
  const [allowComments, setAllowComments] = useState(true);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target: ShareTarget = assetId ? { kind: 'asset', assetId } : { kind: 'collection', collectionId };
    create.mutate({ target, expiresInDays: days ? Number(days) : null, ...(password ? { password } : {}), allowDownload, allowComments });
  };
  const link = create.data ? new URL(create.data.url, window.location.origin).href : null;
  return (
    <>
      <form className="toolbar wrap" aria-label={assetId ? 'Create a share link' : 'Share a collection'} onSubmit={submit}>
        {!assetId && (
          <label>
            Collection
            <select value={collectionId} onChange={(e) => setCollectionId(e.target.value)} required>
              <option value="">Choose…</option>
              {(collections.data?.collections ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Expires after (days)
          <input type="number" min="1" max="3650" value={days} onChange={(e) => setDays(e.target.value)} placeholder="never" />
        </label>
        <label>
          Password (optional)
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={6} autoComplete="new-password" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={allowComments} onChange={(e) => setAllowComments(e.target.checked)} /> Guests may comment
        </label>
        <label className="inline">
          <input type="checkbox" checked={allowDownload} onChange={(e) => setAllowDownload(e.target.checked)} /> Guests may download
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create link
        </button>
      </form>
      {create.error && <ErrorNotice error={create.error} />}
      {link && (
        <p className="secret" role="status">
          Copy this link now (it is not shown again): <code data-testid="share-url">{link}</code>
        </p>
      )}
    </>
  );
}
