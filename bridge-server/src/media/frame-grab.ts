import { MediaError } from './errors.ts';
import type { MediaLimits } from './limits.ts';
import { ToolExitError, runTool } from './run-tool.ts';

/**
 * One displayed frame (rotation applied by ffmpeg's autorotate) at `seconds`, as PNG bytes,
 * optionally scaled to exactly `width`×`height`.
 */
async function grabFrame(
  input: string,
  seconds: number,
  limits: MediaLimits,
  options: { width?: number; height?: number; signal?: AbortSignal } = {},
): Promise<Buffer> {
  const scale = options.width && options.height ? ['-vf', `scale=${options.width}:${options.height}:flags=bicubic`] : [];
  const args = [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    // Seeking before -i is fast (from the nearest keyframe) and still frame-accurate.
    '-ss',
    seconds.toFixed(3),
    '-i',
    input,
    '-map',
    '0:v:0',
    '-frames:v',
    '1',
    ...scale,
    '-f',
    'image2pipe',
    '-c:v',
    'png',
    '-',
  ];
  try {
    const { stdout } = await runTool('ffmpeg', args, {
      niceness: limits.niceness,
      timeoutMs: limits.timeoutMs,
      signal: options.signal,
      redact: [input],
      captureStdout: true,
    });
    return stdout;
  } catch (error) {
    if (error instanceof ToolExitError) {
      throw new MediaError('corrupt-file', `No frame could be decoded at ${seconds.toFixed(2)} s (${error.detail}). Upload an intact copy.`, { cause: error });
    }
    throw error;
  }
}

/** Tries `seconds`, then the very start: short or oddly cut clips may end before the requested time. */
export async function grabFrameNear(
  input: string,
  seconds: number,
  limits: MediaLimits,
  options: { width?: number; height?: number; signal?: AbortSignal } = {},
): Promise<{ png: Buffer; seconds: number }> {
  const first = await grabFrame(input, seconds, limits, options);
  if (first.length > 0) return { png: first, seconds };
  const fallback = await grabFrame(input, 0, limits, options);
  if (fallback.length > 0) return { png: fallback, seconds: 0 };
  throw new MediaError('corrupt-file', 'The video has no frame that can be decoded. Upload an intact copy.');
}
