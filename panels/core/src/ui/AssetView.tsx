import type { Asset } from '@stockroom/shared-types';
import { useEffect, useRef, useState } from 'react';
import { formatBytes, formatWhen } from './format.ts';
import { CommentsView } from './CommentsView.tsx';
import { LockBadge } from './LockBadge.tsx';
import { MediaImport } from './MediaImport.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import { usePanel } from './use-panel.ts';

export function AssetView({ asset }: { asset: Asset }) {
  const [state, panel] = usePanel();
  const preview = usePreview(asset);
  const mine = asset.lock !== null && asset.lock.holder.id === state.user?.id;
  const lockedByOther = asset.lock !== null && !mine;
  const busy = (key: string) => state.busy[`${key}:${asset.id}`];
  const placing = busy('place');
  const metadata = Object.entries(asset.metadata).filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value));
  const refusal = panel.placeRefusal(asset);
  const starred = state.favourites.includes(asset.id);
  const primary = useRef<HTMLButtonElement>(null);
  const back = useRef<HTMLButtonElement>(null);
  // Keyboard: the asset opens with its main action focused, so Enter places it (or, when
  // nothing can be placed, with Back focused).
  useEffect(() => {
    (primary.current ?? back.current)?.focus();
  }, [asset.id, refusal === null]);

  return (
    <div className="sr-column sr-fill" data-testid="asset-view">
      <div className="sr-toolbar">
        <button className="sr-button sr-button--quiet" onClick={() => panel.closeAsset()} ref={back}>
          ‹ Results
        </button>
        <span className="sr-spacer" />
        <button
          className="sr-button sr-button--quiet"
          aria-pressed={starred}
          onClick={() => panel.toggleFavourite(asset.id)}
          data-testid="favourite"
          title={starred ? 'Remove from favourites' : 'Add to favourites'}
        >
          {starred ? '★ Favourite' : '☆ Favourite'}
        </button>
      </div>
      <div className="sr-scroll">
        <Thumbnail asset={asset} src={preview ?? state.thumbnails[`${asset.id}@${asset.headVersion}`]} large />
        {/* The thumbnail loads on cards; an asset opened from elsewhere (recents) asks here. */}
        <RequestThumbnail asset={asset} />
        <div className="sr-section">
          <div className="sr-row sr-row--between">
            <h2 className="sr-heading" data-testid="asset-name">
              {asset.name}
            </h2>
            <LockBadge asset={asset} me={state.user} long />
          </div>
          {asset.lock && (
            <div className="sr-muted" data-testid="lock-holder">
              {mine ? 'You have' : `${asset.lock.holder.name} has`} it checked out in {asset.lock.clientApp} since {formatWhen(asset.lock.since)}.
            </div>
          )}
          {asset.description && <p className="sr-text">{asset.description}</p>}
          {asset.tags.length > 0 && (
            <div className="sr-tags">
              {asset.tags.map((tag) => (
                <span key={tag} className="sr-tag">
                  {tag}
                </span>
              ))}
            </div>
          )}
        </div>

        <div className="sr-section">
          {refusal ? (
            <div className="sr-refusal" role="note" data-testid="place-refusal">
              <strong>{panel.media ? 'Cannot import' : 'Cannot place'}</strong> {refusal}
            </div>
          ) : panel.media ? (
            <MediaImport asset={asset} primary={primary} />
          ) : (
            <div className="sr-row sr-wrap">
              <button className="sr-button sr-button--cta" disabled={!!placing || !asset.head} onClick={() => void panel.place(asset, false)} ref={primary}>
                {placing ?? 'Place embedded'}
              </button>
              <button className="sr-button" disabled={!!placing || !asset.head} onClick={() => void panel.place(asset, true)}>
                Place linked
              </button>
            </div>
          )}
          <div className="sr-row sr-wrap">
            {mine ? (
              <button className="sr-button" disabled={!!busy('release')} onClick={() => void panel.release(asset)}>
                {busy('release') ?? 'Release check-out'}
              </button>
            ) : (
              <button className="sr-button" disabled={lockedByOther || !!busy('checkout')} onClick={() => void panel.checkOut(asset)}>
                {busy('checkout') ?? (lockedByOther ? 'Checked out by someone else' : 'Check out & open')}
              </button>
            )}
          </div>
        </div>

        <div className="sr-section">
          <div className="sr-subheading">Details</div>
          <dl className="sr-props">
            <Prop label="Kind" value={asset.kind} />
            {asset.head && <Prop label="File" value={`${asset.head.originalName} · ${formatBytes(asset.head.size)}`} />}
            {asset.head && <Prop label="Type" value={asset.head.mimeType} />}
            <Prop label="Updated" value={formatWhen(asset.updatedAt)} />
            {metadata.slice(0, 8).map(([key, value]) => (
              <Prop key={key} label={key} value={String(value)} />
            ))}
          </dl>
        </div>

        <CommentsView asset={asset} />

        <div className="sr-section">
          <div className="sr-subheading">Versions</div>
          {state.versions === null ? (
            <div className="sr-muted">Loading versions…</div>
          ) : (
            <ul className="sr-list" data-testid="versions">
              {state.versions.map((version) => (
                <li key={version.number} className="sr-list__item">
                  <div className="sr-row sr-row--between">
                    <strong>v{version.number}</strong>
                    <span className="sr-muted">
                      {version.author.name} · {formatWhen(version.createdAt)}
                    </span>
                  </div>
                  {version.comment && <div className="sr-text">{version.comment}</div>}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}

function RequestThumbnail({ asset }: { asset: Asset }) {
  const [, panel] = usePanel();
  useEffect(() => panel.requestThumbnail(asset), [asset.id, asset.headVersion]);
  return null;
}

function Prop({ label, value }: { label: string; value: string }) {
  return (
    <div className="sr-prop">
      <dt className="sr-prop__label">{label}</dt>
      <dd className="sr-prop__value">{value}</dd>
    </div>
  );
}

/** A preview of image assets from the head version's bytes (kept in the cache). */
function usePreview(asset: Asset): string | null {
  const [, panel] = usePanel();
  const [url, setUrl] = useState<string | null>(null);
  const head = asset.head;
  useEffect(() => {
    let live = true;
    setUrl(null);
    if (!head) return;
    void panel.previewUrl(asset.id, head).then((value) => live && setUrl(value));
    return () => {
      live = false;
    };
  }, [asset.id, head?.number]);
  return url;
}
