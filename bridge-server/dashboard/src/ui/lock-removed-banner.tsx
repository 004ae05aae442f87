import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import type { EventData } from '@stockroom/shared-types';
import { formatDate } from './format.ts';
import { useSession } from '../session/session.tsx';

interface Notice {
  key: string;
  assetId: string;
  assetName: string | null;
  by: string;
  at: string;
  reason: string | null;
}

/**
 * Tells the signed-in person when somebody else forced their lock open (who, when,
 * why), until they dismiss it: their next check-in of that asset needs the version it
 * started from to still be the latest.
 */
export function LockRemovedBanner() {
  const { client, user } = useSession();
  const [notices, setNotices] = useState<Notice[]>([]);
  useEffect(
    () =>
      client.on('asset.unlocked', (data: EventData<'asset.unlocked'>) => {
        if (!data.forced || data.previousHolder.id !== user.id || data.by.id === user.id) return;
        const notice: Notice = {
          key: `${data.assetId}@${data.at ?? Date.now()}`,
          assetId: data.assetId,
          assetName: null,
          by: data.by.name,
          at: data.at ?? new Date().toISOString(),
          reason: data.reason?.trim() || null,
        };
        setNotices((all) => [...all, notice]);
        void client
          .call('assets.get', { id: data.assetId })
          .then((asset) => setNotices((all) => all.map((n) => (n.key === notice.key ? { ...n, assetName: asset.name } : n))))
          .catch(() => {});
      }),
    [client, user.id],
  );
  if (notices.length === 0) return null;
  return (
    <div role="alert">
      {notices.map((notice) => (
        <div key={notice.key} className="error lock-removed" data-testid="lock-removed">
          <span>
            {notice.by} removed your check-out of <Link href={`/assets/${notice.assetId}`}>{notice.assetName ?? 'an asset'}</Link> at {formatDate(notice.at)}.{' '}
            {notice.reason ? `Reason: “${notice.reason}”.` : 'No reason given.'} A check-in of it now needs the version you started from to still be the latest.
          </span>
          <button type="button" onClick={() => setNotices((all) => all.filter((n) => n.key !== notice.key))}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
