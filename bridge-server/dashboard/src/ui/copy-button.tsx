import { useState } from 'react';

/** Copies a one-time secret to the clipboard and says so (the secret is not shown again). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          )
        }
      >
        {label}
      </button>
      <span role="status" className="muted small">
        {state === 'copied' ? ' Copied to the clipboard.' : state === 'failed' ? ' The browser refused the clipboard: select the text and copy it.' : ''}
      </span>
    </>
  );
}
