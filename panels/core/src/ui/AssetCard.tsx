import type { Asset } from '@stockroom/shared-types';
import { memo, useEffect } from 'react';
import { rememberCard } from './grid-keys.ts';
import { LockBadge } from './LockBadge.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import { usePanelValue } from './use-panel.ts';

/** A card draws again only when its asset or what it shows of the panel's state changes (see usePanelValue). */
export const AssetCard = memo(function AssetCard({ asset }: { asset: Asset }) {
  const [browseView, panel] = usePanelValue((state) => state.browseView);
  const [starred] = usePanelValue((state) => state.favourites.includes(asset.id));
  const [thumb] = usePanelValue((state) => state.thumbnails[`${asset.id}@${asset.headVersion}`]);
  const [me] = usePanelValue((state) => state.user);
  useEffect(() => panel.requestThumbnail(asset), [asset.id, asset.headVersion]);
  const { layout, size } = browseView;
  const open = () => {
    rememberCard(asset.id);
    void panel.openAsset(asset.id);
  };
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
            <LockBadge asset={asset} me={me} />
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
        <LockBadge asset={asset} me={me} />
      </div>
    </button>
  );
});
