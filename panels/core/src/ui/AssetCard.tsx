import type { Asset } from '@stockroom/shared-types';
import { useEffect } from 'react';
import { LockBadge } from './LockBadge.tsx';
import { Thumbnail } from './Thumbnail.tsx';
import { usePanel } from './use-panel.ts';

export function AssetCard({ asset }: { asset: Asset }) {
  const [state, panel] = usePanel();
  useEffect(() => panel.requestThumbnail(asset), [asset.id, asset.headVersion]);
  return (
    <button className="sr-card" onClick={() => void panel.openAsset(asset.id)} data-testid="asset-card" data-asset-id={asset.id} title={asset.name}>
      <Thumbnail asset={asset} src={state.thumbnails[`${asset.id}@${asset.headVersion}`]} />
      <div className="sr-card__name">{asset.name}</div>
      <div className="sr-card__meta">
        <span className="sr-muted">v{asset.headVersion}</span>
        <LockBadge asset={asset} me={state.user} />
      </div>
    </button>
  );
}
