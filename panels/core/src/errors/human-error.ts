import { isStockroomError, type ErrorCode } from '@stockroom/shared-types';

type Data = Record<string, unknown> | undefined;

function holderName(data: Data): string | null {
  const holder = data?.holder as { name?: unknown } | undefined;
  return typeof holder?.name === 'string' ? holder.name : null;
}

/**
 * The one place where a failure becomes a sentence for the person at the panel.
 * Every StockroomError code has one; the record type makes a new code a compile error here.
 */
const SENTENCES: Record<ErrorCode, (data: Data) => string> = {
  VALIDATION_FAILED: () => 'Stockroom could not accept what was sent. Check what you entered and try again.',
  UNAUTHENTICATED: () => 'Your sign-in is no longer valid. Sign in again with a new token.',
  FORBIDDEN: () => 'You do not have permission to do that. Ask a Stockroom administrator for access.',
  NOT_FOUND: () => 'That asset is no longer there; someone may have deleted it. Refresh the search.',
  ASSET_LOCKED: (data) => {
    const name = holderName(data);
    return name
      ? `${name} has this asset checked out. Wait until they check it in, or ask them to release it.`
      : 'Someone else has this asset checked out. Wait until it is checked in.';
  },
  VERSION_CONFLICT: () => 'Someone checked in a newer version while you were working. Check out the latest version and apply your changes to it.',
  UPLOAD_INCOMPLETE: () => 'The upload did not finish. Try again: it continues where it stopped.',
  UPLOAD_TOO_LARGE: () => 'This file is larger than the Stockroom server accepts. Ask an administrator to raise the limit.',
  CHECKSUM_MISMATCH: () => 'The file was damaged on its way to the server. Try again.',
  PROTOCOL_ERROR: () => 'This panel and the Stockroom server do not understand each other. Update the panel.',
  UNKNOWN_METHOD: () => 'The Stockroom server is older than this panel and cannot do that yet. Ask an administrator to update it.',
  PAYLOAD_TOO_LARGE: () => 'That request is too large for the Stockroom server.',
  RATE_LIMITED: () => 'Too many requests at once. Wait a moment and try again.',
  CONFLICT: () => 'That clashes with a change someone else just made. Refresh and try again.',
  ASSET_UNAVAILABLE: () => 'This asset may not be placed any more (expired or withdrawn from the brand kit). Choose another one.',
  UNSAFE_CONTENT: () => 'Stockroom refused this file as unsafe to place. Ask for a clean export of it.',
  INTERNAL: () => 'Something went wrong on the Stockroom server. Try again; if it keeps happening, tell your administrator.',
  DISCONNECTED: () => 'The Stockroom server cannot be reached. Check your network; the panel reconnects by itself.',
  TIMEOUT: () => 'The Stockroom server took too long to answer. Try again.',
};

/** A sentence for any failure: the bridge's errors by code, the host's (already worded for people) as they are. */
export function humanError(error: unknown): string {
  if (isStockroomError(error)) return SENTENCES[error.code](error.data);
  if (error instanceof Error && error.name === 'HostError') return error.message;
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return SENTENCES.DISCONNECTED(undefined);
  return 'Something unexpected went wrong. Try again; if it keeps happening, reload the panel.';
}

export function errorCode(error: unknown): ErrorCode | null {
  return isStockroomError(error) ? error.code : null;
}

/** Sign-in failures name the address, since a wrong address is the usual cause. */
export function signInError(error: unknown, serverUrl: string): string {
  const code = errorCode(error);
  if (code === 'DISCONNECTED' || code === 'TIMEOUT' || (error instanceof TypeError && code === null)) {
    return `No Stockroom server answered at ${serverUrl}. Check the address and your network.`;
  }
  if (code === 'UNAUTHENTICATED') return 'That token was not accepted. Copy a fresh one from your Stockroom profile and paste it again.';
  return humanError(error);
}
