import { useEffect, useState } from 'react';
import type { Asset } from '@stockroom/shared-types';
import { useSession } from '../session/session.tsx';

const RETRIES = 3;
const RETRY_MS = 4000;

/** The URL of a version's 256 px thumbnail derivative. */
export function thumbnailUrl(asset: Asset): string | null {
  return asset.head ? `/api/assets/${asset.id}/versions/${asset.head.number}/derivatives/thumbnail/content` : null;
}

/**
 * An asset's thumbnail, or a tile naming its kind while there is none (not made yet, or
 * files of this type get none). A thumbnail still being made is asked for again a few times.
 */
export function Thumbnail({ asset }: { asset: Asset }) {
  const { csrfToken } = useSession();
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const src = thumbnailUrl(asset);
  useEffect(() => {
    setAttempt(0);
    setFailed(false);
    setLoaded(false);
  }, [src]);
  useEffect(() => {
    if (!failed || attempt >= RETRIES) return;
    const timer = setTimeout(() => {
      setAttempt((n) => n + 1);
      setFailed(false);
    }, RETRY_MS);
    return () => clearTimeout(timer);
  }, [failed, attempt]);
  const extension = asset.head?.originalName.split('.').pop()?.slice(0, 5) ?? asset.kind;
  // Image elements cannot send a bearer token: thumbnails need the cookie session.
  const showImage = src !== null && csrfToken !== null && !failed;
  return (
    <div className={`thumb thumb-${asset.kind}`}>
      {showImage && (
        <img
          key={attempt}
          src={attempt ? `${src}?attempt=${attempt}` : src}
          alt=""
          loading="lazy"
          decoding="async"
          className={loaded ? 'loaded' : undefined}
          onLoad={() => setLoaded(true)}
          onError={() => setFailed(true)}
        />
      )}
      {!loaded && (
        <span className="thumb-placeholder" aria-hidden="true">
          {extension.toUpperCase()}
        </span>
      )}
    </div>
  );
}
