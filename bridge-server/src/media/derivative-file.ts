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
}
