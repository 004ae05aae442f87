import type { MoveToast } from './library-moves.ts';

/** The answer to a drag-and-drop move, with Undo when it can be undone; it stays until dismissed or replaced. */
export function MoveToastView({ toast, busy, onDismiss }: { toast: MoveToast; busy: boolean; onDismiss: () => void }) {
  return (
    <div className={`toast${toast.error ? ' error' : ''}`} role={toast.error ? 'alert' : 'status'} data-testid="move-toast">
      <span>{toast.message}</span>
      {toast.failures.length > 0 && (
        <ul>
          {toast.failures.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      )}
      {toast.undo && (
        <button type="button" disabled={busy} onClick={toast.undo}>
          Undo
        </button>
      )}
      <button type="button" className="link" onClick={onDismiss} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
