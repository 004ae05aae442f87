import { usePanel } from './use-panel.ts';

/** Says plainly when the panel cannot reach the bridge; it reconnects by itself. */
export function ConnectionBanner() {
  const [state] = usePanel();
  if (state.phase !== 'ready' && state.phase !== 'signingIn') return null;
  if (state.connection === 'reconnecting' || state.connection === 'connecting') {
    const firstTime = state.phase === 'signingIn';
    return (
      <div className="sr-banner sr-banner--warning" role="status" data-testid="connection-banner">
        {firstTime
          ? `Connecting to ${state.serverUrl}…`
          : `Offline: the Stockroom server cannot be reached. Reconnecting… Placed files keep working; search and check-in wait.`}
      </div>
    );
  }
  if (state.connection === 'closed' && state.phase === 'ready') {
    return (
      <div className="sr-banner sr-banner--error" role="status" data-testid="connection-banner">
        Disconnected from Stockroom. Reload the panel to connect again.
      </div>
    );
  }
  return null;
}
