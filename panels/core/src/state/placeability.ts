import type { Asset, Derivative } from '@stockroom/shared-types';
import type { HostAdapter } from '../host/types.ts';

/** Failures of the server's own reading of the file: the host would fail on the same bytes. */
const UNREADABLE = new Set(['corrupt-file', 'empty-file', 'unsupported-format']);

/**
 * Why the place (or import) action is not offered for this asset, or null when it is:
 * no version yet, an empty file, a file the server could not read (its derivatives
 * failed as corrupt or empty), or one the host app cannot place (sound in Photoshop).
 * `derivatives` are the head version's, null while they load.
 */
export function placeRefusal(asset: Asset, derivatives: Derivative[] | null, host: Pick<HostAdapter, 'cannotPlace'>): string | null {
  const head = asset.head;
  if (!head) return 'This asset has no version yet.';
  if (head.size === 0) return `${head.originalName} is empty (0 bytes). Check in the real file first.`;
  const hostReason = host.cannotPlace?.({ kind: asset.kind, mimeType: head.mimeType, originalName: head.originalName, size: head.size });
  if (hostReason) return hostReason;
  const unreadable = derivatives?.find((d) => d.versionNumber === head.number && d.status === 'failed' && UNREADABLE.has(d.failureReason ?? ''));
  if (unreadable) return `Stockroom could not read ${head.originalName}. ${unreadable.failure ?? 'The file may be damaged: check in a working copy.'}`;
  return null;
}
