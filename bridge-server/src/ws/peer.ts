import type { StockroomError } from '@stockroom/shared-types';
import { errorFrame } from './framing.ts';

/** What the session rules need of a socket; `connection.ts` adapts a `ws` WebSocket to it. */
export interface Peer {
  /** Sends one frame as JSON text while the socket is open (dropped otherwise). */
  send(frame: unknown): void;
  /** Starts the close handshake. */
  close(code: number, reason: string): void;
  /** Drops the socket without a handshake. */
  cutOff(): void;
}

/** How long a peer may take to answer our close before it is cut off. */
const CLOSE_HANDSHAKE_MS = 1000;

/** Close codes in the 4000 range are ours; 4401 means "authenticate first / again". */
export const CLOSE_UNAUTHENTICATED = 4401;
/** session.hello did not come in time. */
export const CLOSE_HELLO_TIMEOUT = 4408;

export function sendError(peer: Peer, id: number | string | null, error: StockroomError): void {
  peer.send(errorFrame(id, error));
}

/** Closes, and cuts off a peer that does not answer the close handshake. */
export function closeFirmly(peer: Peer, code: number, reason: string): void {
  peer.close(code, reason);
  setTimeout(() => peer.cutOff(), CLOSE_HANDSHAKE_MS).unref();
}
