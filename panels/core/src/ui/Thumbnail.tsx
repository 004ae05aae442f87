import type { Asset } from '@stockroom/shared-types';
import { extensionOf } from './format.ts';

/**
 * The asset's thumbnail (a waveform for sound), or a placeholder (kind + file type)
 * while it has none: derivatives are made in the background after a version arrives.
 * Cells are a neutral grey whatever the kind, so the picture is what stands out.
 */
export function Thumbnail({
  asset,
  src,
  large = false,
  size,
}: {
  asset: Pick<Asset, 'kind'> & { head?: { originalName: string } | null };
  src?: string | null;
  large?: boolean;
  size?: number;
}) {
  const className = `sr-thumb sr-thumb--${asset.kind}${large ? ' sr-thumb--large' : ''}`;
  const style = size ? { height: Math.round(size * 0.75) } : undefined;
  if (src) {
    return (
      <div className={className} style={style} data-testid="thumb">
        <img src={src} alt="" className="sr-thumb__img" />
      </div>
    );
  }
  return (
    <div className={className} style={style} data-testid="thumb-placeholder">
      <span className="sr-thumb__kind">{asset.kind}</span>
      <span className="sr-thumb__ext">{extensionOf(asset.head?.originalName ?? '')}</span>
    </div>
  );
}
