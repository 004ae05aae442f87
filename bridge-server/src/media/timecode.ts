/** Parses SMPTE "HH:MM:SS:FF" (or ";" for drop-frame) into a frame count at a whole frame rate. */
function framesOf(timecode: string, fps: number): number | null {
  const match = /^(\d{1,2}):(\d{2}):(\d{2})[:;.](\d{2,3})$/.exec(timecode.trim());
  if (!match) return null;
  const [h, m, s, f] = match.slice(1).map(Number) as [number, number, number, number];
  return ((h * 60 + m) * 60 + s) * fps + f;
}

/**
 * The SMPTE timecode (non-drop-frame) shown at `seconds` into a clip that starts at
 * `start`; without a frame rate, a plain "HH:MM:SS.mmm" clock.
 */
export function timecodeAt(seconds: number, fps: number | null, start: string | null = null): string {
  if (!fps || fps <= 0) {
    const ms = Math.round(seconds * 1000);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
  }
  const base = Math.round(fps);
  const total = (start ? (framesOf(start, base) ?? 0) : 0) + Math.floor(seconds * fps + 1e-6);
  const frames = total % base;
  const totalSeconds = Math.floor(total / base);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(totalSeconds / 3600) % 24)}:${pad(Math.floor(totalSeconds / 60) % 60)}:${pad(totalSeconds % 60)}:${pad(frames)}`;
}
