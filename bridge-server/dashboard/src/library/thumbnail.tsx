import { useMemo, useState } from 'react';
import type { Asset } from '@stockroom/shared-types';
import { useMethod } from '../data/methods.ts';
import { useSession } from '../session/session.tsx';

/**
 * The ready thumbnails of a page of assets, asked for in one call (and refreshed when a
 * derivative is ready), so the grid only requests images that exist.
 */
export function useThumbnails(assets: Asset[]): Map<string, string> {
  const ids = assets.map((a) => a.id);
  const query = useMethod('library.thumbnails', { assetIds: ids }, { enabled: ids.length > 0, placeholderData: (previous) => previous });
  return useMemo(() => new Map((query.data?.thumbnails ?? []).map((t) => [t.assetId, t.url])), [query.data]);
}

/** An asset's thumbnail, or a tile naming its file type while there is none (not made yet, or files of this type get none). */
export function Thumbnail({ asset, url }: { asset: Asset; url: string | undefined }) {
  const { csrfToken } = useSession();
  const [loaded, setLoaded] = useState<string | null>(null);
  const extension = asset.head?.originalName.split('.').pop()?.slice(0, 5) ?? asset.kind;
  // Image elements cannot send a bearer token: thumbnails need the cookie session.
  const src = url && csrfToken ? url : null;
  return (
    <div className={`thumb thumb-${asset.kind}`}>
      {src && <img src={src} alt="" loading="lazy" decoding="async" className={loaded === src ? 'loaded' : undefined} onLoad={() => setLoaded(src)} />}
      {loaded !== src && (
        <span className="thumb-placeholder" aria-hidden="true">
          {extension.toUpperCase()}
        </span>
      )}
    </div>
  );
}
