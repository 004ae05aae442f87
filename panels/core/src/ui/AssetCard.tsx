import type { Asset } from '@stockroom/shared-types';
import { useEffect } from 'react';
import { rememberCard } from './grid-keys.ts';
import { LockBadge } from './LockBadge.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import { usePanel } from './use-panel.ts';

export function AssetCard({ asset }: { asset: Asset }) {
  const [state, panel] = usePanel();
  useEffect(() => panel.requestThumbnail(asset), [asset.id, asset.headVersion]);
  const { layout, size } = state.browseView;
  const starred = state.favourites.includes(asset.id);
  const open = () => {
    rememberCard(asset.id);
    void panel.openAsset(asset.id);
  };
  const thumb = state.thumbnails[`${asset.id}@${asset.headVersion}`];
  if (layout === 'list') {
    return (
      <button className="sr-card sr-card--row" onClick={open} data-testid="asset-card" data-asset-id={asset.id} title={asset.name}>
        <Thumbnail asset={asset} src={thumb} size={48} />
        <div className="sr-card__body">
          <div className="sr-card__name">
            {starred && (
              <span role="img" aria-label="Favourite" className="sr-star">
                ★
              </span>
            )}
            {asset.name}
          </div>
          <div className="sr-card__meta">
            <span className="sr-muted">
              {asset.kind} · v{asset.headVersion}
            </span>
            <LockBadge asset={asset} me={state.user} />
          </div>
        </div>
      </button>
    );
  }
  return (
    <button className="sr-card" style={{ width: size, flexBasis: size }} onClick={open} data-testid="asset-card" data-asset-id={asset.id} title={asset.name}>
      <Thumbnail asset={asset} src={thumb} size={size} />
      <div className="sr-card__name">
        {starred && (
          <span role="img" aria-label="Favourite" className="sr-star">
            ★
          </span>
        )}
        {asset.name}
      </div>
      <div className="sr-card__meta">
        <span className="sr-muted">v{asset.headVersion}</span>
        <LockBadge asset={asset} me={state.user} />
      </div>
    </button>
  );
}
