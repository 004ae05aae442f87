/**
 * Why a media file could not be read or converted. The reason is stable (stored with a
 * failed derivative and shown in the dashboard); the message tells a person what to do.
 */
export type MediaFailureReason = 'empty-file' | 'unsupported-format' | 'corrupt-file' | 'too-many-pixels' | 'too-long' | 'timeout' | 'tool-failed';

export class MediaError extends Error {
  readonly reason: MediaFailureReason;
  constructor(reason: MediaFailureReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MediaError';
    this.reason = reason;
  }
}

export function isMediaError(error: unknown): error is MediaError {
  return error instanceof MediaError;
}
