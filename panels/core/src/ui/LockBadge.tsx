import type { Asset, User } from '@stockroom/shared-types';

/** Who holds the asset's lock, live (events patch `asset.lock`). */
export function LockBadge({ asset, me, long = false }: { asset: Asset; me: User | null; long?: boolean }) {
  if (!asset.lock) return long ? <span className="sr-badge sr-badge--free">Available</span> : null;
  const mine = me !== null && asset.lock.holder.id === me.id;
  const who = mine ? 'you' : asset.lock.holder.name;
  return (
    <span
      className={`sr-badge ${mine ? 'sr-badge--mine' : 'sr-badge--locked'}`}
      data-testid="lock-badge"
      title={`Checked out by ${who} in ${asset.lock.clientApp}`}
    >
      {long ? `Checked out by ${who}` : mine ? 'Yours' : `Locked · ${asset.lock.holder.name}`}
    </span>
  );
}
