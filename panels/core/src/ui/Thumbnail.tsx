import type { Asset } from '@stockroom/shared-types';
import { extensionOf } from './format.ts';

/**
 * The asset's thumbnail, or a placeholder (kind + file type) while it has none yet:
 * derivatives are made in the background after a version arrives.
 */
export function Thumbnail({ asset, src, large = false }: { asset: Asset; src?: string | null; large?: boolean }) {
  const className = `sr-thumb sr-thumb--${asset.kind}${large ? ' sr-thumb--large' : ''}`;
  if (src) {
    return (
      <div className={className}>
        <img src={src} alt="" className="sr-thumb__img" />
      </div>
    );
  }
  return (
    <div className={className} data-testid="thumb-placeholder">
      <span className="sr-thumb__kind">{asset.kind}</span>
      <span className="sr-thumb__ext">{extensionOf(asset.head?.originalName ?? '')}</span>
    </div>
  );
}
