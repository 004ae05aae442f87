import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CallableMethod } from '@stockroom/bridge-client';
import { EVENT_NAMES, type EventName } from '@stockroom/shared-types';
import { useSession } from '../session/session.tsx';

/** Which cached answers an event makes stale. */
const STALE_AFTER: Partial<Record<EventName, CallableMethod[]>> = {
  'asset.created': ['admin.stats', 'assets.search'],
  'asset.updated': ['admin.stats', 'assets.search', 'assets.get'],
  'asset.deleted': ['admin.stats', 'assets.search', 'assets.get', 'admin.locks', 'library.trash'],
  'asset.restored': ['admin.stats', 'assets.search', 'library.trash'],
  'asset.locked': ['admin.stats', 'admin.locks', 'assets.get', 'assets.search'],
  'asset.unlocked': ['admin.stats', 'admin.locks', 'assets.get', 'assets.search'],
  'version.created': ['admin.stats', 'assets.get', 'versions.list', 'assets.search'],
  'client.connected': ['admin.stats', 'admin.clients'],
  'client.disconnected': ['admin.stats', 'admin.clients'],
  'job.progress': ['jobs.list'],
  'job.failed': ['jobs.list', 'admin.stats', 'derivatives.list'],
  'comment.created': ['comments.list'],
  'comment.updated': ['comments.list'],
  'comment.resolved': ['comments.list'],
  'comment.deleted': ['comments.list'],
  'review.changed': ['reviews.get'],
  'derivative.ready': ['jobs.list', 'admin.stats', 'derivatives.list', 'library.thumbnails'],
};
/** Bursts of events (a bulk import) refresh each answer at most this often. */
const REFRESH_EVERY_MS = 500;

/** Subscribes to every live event and refreshes what is on screen; after a reconnect, everything. */
export function useLiveRefresh(): void {
  const { client } = useSession();
  const queries = useQueryClient();
  useEffect(() => {
    const dirty = new Set<CallableMethod>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      for (const method of dirty) void queries.invalidateQueries({ queryKey: [method] });
      dirty.clear();
    };
    const offs = EVENT_NAMES.map((event) =>
      client.on(event, () => {
        for (const method of STALE_AFTER[event] ?? []) dirty.add(method);
        timer ??= setTimeout(flush, REFRESH_EVERY_MS);
      }),
    );
    offs.push(client.onReconnected(() => void queries.invalidateQueries()));
    void client.subscribe().catch(() => {});
    return () => {
      offs.forEach((off) => off());
      clearTimeout(timer);
    };
  }, [client, queries]);
}
