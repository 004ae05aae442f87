import type { TimedMediaFacts } from './timed-media-facts.ts';
import type { StoredStillFacts } from './stored-still-facts.ts';

/** One derivative written to disk, with the facts read back from what was written. */
export interface DerivativeFile {
  path: string;
  mimeType: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  /** Extra facts a client needs to use the file (filmstrip tile layout and timecodes, ...). */
  data: Record<string, unknown>;
}

export interface DerivativeContext {
  /** Folder the output file is written to; the caller owns and removes it. */
  outDir: string;
  signal?: AbortSignal;
  /** Percent done (0–100), for long transcodes. */
  onProgress?: (percent: number) => void;
  /**
   * What an earlier probe of the same bytes found (the metadata job stores it with the
   * version), so a video job need not start ffprobe again: 0.2 s of a few-second job.
   */
  probed?: TimedMediaFacts | null;
  /** Otherwise the input's facts from a probe shared with the other jobs of this process (see SharedProbe). */
  probe?: () => Promise<TimedMediaFacts>;
  /** What the metadata job stored of a still image, so its header need not be read again for every preset. */
  stillFacts?: StoredStillFacts | null;
}
