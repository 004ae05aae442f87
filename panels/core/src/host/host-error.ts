/** A failure inside the host app, worded for the person at the panel. */
export class HostError extends Error {
  override name = 'HostError';
}
