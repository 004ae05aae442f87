import { Link } from 'wouter';
import type { AuditEvent } from '@stockroom/shared-types';

/** What an audit row is about, by name where the row recorded one, linked to where it lives in the dashboard. */
export function AuditTarget({ event }: { event: AuditEvent }) {
  const name = typeof event.data.name === 'string' ? event.data.name : null;
  const id = <span className="muted small">{event.targetId.slice(0, 8)}</span>;
  if (event.targetType === 'asset' && !event.action.endsWith('.purge')) {
    return (
      <>
        asset <Link href={`/assets/${event.targetId}`}>{name ?? event.targetId}</Link> {name ? id : null}
      </>
    );
  }
  if (event.targetType === 'collection' && !event.action.endsWith('.delete')) {
    return (
      <>
        collection <Link href={`/assets?collection=${event.targetId}`}>{name ?? event.targetId}</Link> {name ? id : null}
      </>
    );
  }
  return (
    <>
      {event.targetType} {name ? <strong>{name}</strong> : null} <span className="muted small">{event.targetId}</span>
    </>
  );
}
