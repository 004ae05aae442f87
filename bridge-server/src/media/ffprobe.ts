import type { DerivativeContext } from './derivative-file.ts';
import { MediaError } from './errors.ts';
import type { MediaLimits } from './limits.ts';
import { ToolExitError, runTool } from './run-tool.ts';
import type { AudioStreamFacts, TimedMediaFacts, VideoStreamFacts } from './timed-media-facts.ts';

export type { AudioStreamFacts, TimedMediaFacts, VideoStreamFacts };

interface ProbeStream {
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  pix_fmt?: string;
  channels?: number;
  channel_layout?: string;
  sample_rate?: string;
  bit_rate?: string;
  duration?: string;
  disposition?: { attached_pic?: number };
  tags?: Record<string, string>;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}

interface ProbeOutput {
  format?: { format_name?: string; duration?: string; bit_rate?: string; tags?: Record<string, string> };
  streams?: ProbeStream[];
}

/**
 * The facts of a derivative's input: those the metadata job stored, else the job's shared
 * probe (one ffprobe per original in this process), else a probe of its own.
 */
export async function inputFacts(
  input: string,
  limits: Pick<MediaLimits, 'niceness' | 'timeoutMs'>,
  context: Pick<DerivativeContext, 'probed' | 'probe' | 'signal'>,
): Promise<TimedMediaFacts> {
  if (context.probed) return context.probed;
  return context.probe ? context.probe() : probeTimedMedia(input, limits, context.signal);
}

/** Reads a video or audio file's facts with ffprobe. */
export async function probeTimedMedia(input: string, limits: Pick<MediaLimits, 'niceness' | 'timeoutMs'>, signal?: AbortSignal): Promise<TimedMediaFacts> {
  let output: ProbeOutput;
  try {
    const { stdout } = await runTool('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input], {
      niceness: limits.niceness,
      timeoutMs: Math.min(limits.timeoutMs, 60_000),
      signal,
      redact: [input],
      captureStdout: true,
    });
    output = JSON.parse(stdout.toString('utf8')) as ProbeOutput;
  } catch (error) {
    if (error instanceof ToolExitError) {
      throw new MediaError('corrupt-file', `The file cannot be read as video or audio (${error.detail}). Upload an intact copy.`, {
        cause: error,
      });
    }
    throw error;
  }
  return factsFromProbe(output);
}

function factsFromProbe(output: ProbeOutput): TimedMediaFacts {
  const streams = output.streams ?? [];
  const videoStream = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audioStream = streams.find((s) => s.codec_type === 'audio');
  if (!videoStream && !audioStream) {
    throw new MediaError('corrupt-file', 'The file holds no video or audio stream that can be read. Upload an intact copy.');
  }
  const tags = output.format?.tags ?? {};
  const timecode = tags.timecode ?? streams.map((s) => s.tags?.timecode).find((t) => t !== undefined) ?? null;
  const durations = [output.format?.duration, videoStream?.duration, audioStream?.duration].map(toNumber);
  return {
    container: output.format?.format_name ?? 'unknown',
    durationSeconds: durations.find((d) => d !== null && d > 0) ?? null,
    bitRate: toNumber(output.format?.bit_rate),
    timecode,
    creationTime: tags.creation_time ?? null,
    video: videoStream ? videoFacts(videoStream) : null,
    audio: audioStream ? audioFacts(audioStream) : null,
  };
}

function videoFacts(stream: ProbeStream): VideoStreamFacts {
  const width = stream.width ?? 0;
  const height = stream.height ?? 0;
  const rotation = rotationOf(stream);
  const swapped = rotation === 90 || rotation === 270;
  return {
    codec: stream.codec_name ?? 'unknown',
    profile: stream.profile ?? null,
    width,
    height,
    displayWidth: swapped ? height : width,
    displayHeight: swapped ? width : height,
    rotation,
    frameRate: parseRate(stream.avg_frame_rate) ?? parseRate(stream.r_frame_rate),
    pixelFormat: stream.pix_fmt ?? null,
  };
}

function audioFacts(stream: ProbeStream): AudioStreamFacts {
  return {
    codec: stream.codec_name ?? 'unknown',
    channels: stream.channels ?? 0,
    channelLayout: stream.channel_layout ?? null,
    sampleRate: toNumber(stream.sample_rate) ?? 0,
    bitRate: toNumber(stream.bit_rate),
  };
}

/**
 * The display matrix stores the counter-clockwise angle (ffprobe prints -90 for a phone
 * held upright); older files carry a `rotate` tag with the clockwise angle.
 */
function rotationOf(stream: ProbeStream): number {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === 'number');
  const clockwise = matrix ? -matrix.rotation! : Number(stream.tags?.rotate ?? 0);
  const normalized = (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
  return Number.isFinite(normalized) ? normalized : 0;
}

function parseRate(rate: string | undefined): number | null {
  if (!rate) return null;
  const [num, den] = rate.split('/').map(Number);
  if (!num || !den) return null;
  return Math.round((num / den) * 1000) / 1000;
}

function toNumber(value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** Refuses streams longer than the configured limit before any transcoding starts. */
export function assertDurationWithinLimit(facts: TimedMediaFacts, limits: Pick<MediaLimits, 'maxDurationSeconds'>): void {
  if (facts.durationSeconds !== null && facts.durationSeconds > limits.maxDurationSeconds) {
    throw new MediaError(
      'too-long',
      `The file lasts ${Math.round(facts.durationSeconds)} s, longer than the ${limits.maxDurationSeconds} s this server converts. Raise the duration limit or upload a shorter file.`,
    );
  }
}
