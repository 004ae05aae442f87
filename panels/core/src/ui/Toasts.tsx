import { usePanel } from './use-panel.ts';

export function Toasts() {
  const [state, panel] = usePanel();
  if (state.toasts.length === 0) return null;
  return (
    <div className="sr-toasts">
      {state.toasts.map((toast) => (
        <div key={toast.id} className={`sr-toast sr-toast--${toast.level}`} role={toast.level === 'error' ? 'alert' : 'status'}>
          <span className="sr-toast__text">{toast.message}</span>
          <button className="sr-link" onClick={() => panel.dismissToast(toast.id)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
