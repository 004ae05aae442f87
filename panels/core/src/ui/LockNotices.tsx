import { formatWhen } from './format.ts';
import { usePanel } from './use-panel.ts';

/** The person's lock was removed by somebody else: who, when and why, until they dismiss it. */
export function LockNotices() {
  const [state, panel] = usePanel();
  if (state.phase !== 'ready' || state.lockNotices.length === 0) return null;
  return (
    <div role="alert">
      {state.lockNotices.map((notice) => (
        <div key={notice.id} className="sr-banner sr-banner--error sr-notice" data-testid="lock-notice">
          <span className="sr-notice__text">
            {notice.by.name} removed your check-out of {notice.assetName || 'an asset'} ({formatWhen(notice.at)}, {new Date(notice.at).toLocaleTimeString()}).{' '}
            {notice.reason ? `Reason: “${notice.reason}”.` : 'No reason given.'} Your document is no longer checked out: a check-in now needs the version it
            came from to still be the latest.
          </span>
          <button
            className="sr-link sr-notice__close"
            onClick={() => panel.dismissLockNotice(notice.id)}
            aria-label="Dismiss"
            data-testid="dismiss-lock-notice"
          >
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
