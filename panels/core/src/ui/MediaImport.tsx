import type { Asset } from '@stockroom/shared-types';
import { usePanel } from './use-panel.ts';

/** Import buttons for media hosts (Premiere Pro): the original, or the Stockroom proxy of a video. */
export function MediaImport({ asset, primary }: { asset: Asset; primary?: React.Ref<HTMLButtonElement> }) {
  const [state, panel] = usePanel();
  const media = panel.media;
  if (!media) return null;
  const original = state.busy[`import-original:${asset.id}`];
  const proxy = state.busy[`import-proxy:${asset.id}`];
  const busy = !!original || !!proxy;
  return (
    <div className="sr-row sr-wrap" data-testid="media-import">
      <button className="sr-button sr-button--cta" disabled={busy || !asset.head} onClick={() => void media.importAsset(asset, 'original')} ref={primary}>
        {original ?? 'Import original'}
      </button>
      {asset.kind === 'video' && (
        <button className="sr-button" disabled={busy || !asset.head} onClick={() => void media.importAsset(asset, 'proxy')}>
          {proxy ?? 'Import proxy'}
        </button>
      )}
    </div>
  );
}
