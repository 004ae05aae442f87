import { useMethod } from '../data/methods.ts';
import { useSession } from '../session/session.tsx';

const MAX_PER_CALL = 200;

/** The head thumbnails of the assets a list shows, in one call (assets without one are left out). */
export function useHeadThumbnails(assetIds: string[]): Map<string, string> {
  const ids = [...new Set(assetIds)].slice(0, MAX_PER_CALL);
  const query = useMethod('library.thumbnails', { assetIds: ids }, { enabled: ids.length > 0, placeholderData: (previous) => previous });
  return new Map((query.data?.thumbnails ?? []).map((t) => [t.assetId, t.url]));
}

/** A small thumbnail at the start of a table row; an empty tile where there is none, so rows line up. */
export function RowThumb({ url }: { url: string | undefined }) {
  const { csrfToken } = useSession();
  // Image elements cannot send a bearer token: thumbnails need the cookie session.
  const src = url && csrfToken ? url : null;
  return <span className="row-thumb">{src && <img src={src} alt="" loading="lazy" decoding="async" />}</span>;
}

/** The thumbnail of one version (not only the head), where it was made. */
export function VersionThumb({ assetId, number }: { assetId: string; number: number }) {
  const derivatives = useMethod('derivatives.list', { assetId, number }, { staleTime: 30_000 });
  const thumbnail = derivatives.data?.derivatives.find((d) => d.preset === 'thumbnail' && d.status === 'ready' && d.contentUrl);
  return <RowThumb url={thumbnail?.contentUrl ?? undefined} />;
}
