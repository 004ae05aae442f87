/** Guards against files that would exhaust memory or time (decompression bombs, endless streams). */
export interface MediaLimits {
  /** Largest image (width × height) that is decoded; bigger files fail with `too-many-pixels`. */
  maxPixels: number;
  /** Longest video or audio that is transcoded, in seconds. */
  maxDurationSeconds: number;
  /** Wall-clock limit for one extraction or one derivative of one file. */
  timeoutMs: number;
  /** `nice` increment for ffmpeg and other external tools, so interactive work stays responsive. */
  niceness: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  // 250 MP: a 20 000 × 12 500 scan still passes; a 30 000 × 30 000 bomb does not.
  maxPixels: 250_000_000,
  maxDurationSeconds: 6 * 60 * 60,
  timeoutMs: 30 * 60 * 1000,
  niceness: 10,
};
