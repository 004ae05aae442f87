/**
 * AbortSignal helpers that work where `throwIfAborted()` or DOMException are missing
 * (older embedded runtimes such as some UXP versions).
 */
export function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const message = 'The upload was aborted';
  return typeof DOMException === 'function' ? new DOMException(message, 'AbortError') : Object.assign(new Error(message), { name: 'AbortError' });
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal);
}
