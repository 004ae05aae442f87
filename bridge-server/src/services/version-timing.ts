import { exactFrameRate, frameAtSeconds, secondsAtFrame, StockroomError, type CommentTimeInput, type CommentTimeRange } from '@stockroom/shared-types';
import { storedTimedMediaFacts } from '../media/timed-media-facts.ts';

export interface VersionTiming {
  /** Frames per second of the picture; for audio without picture, samples per second. */
  frameRate: number;
  durationSeconds: number | null;
}

/**
 * The frame rate a version's comments are counted in, from the probe facts the metadata
 * job stored with it (`metadata.video` or `metadata.audio`); null when the version is not
 * timed media or its facts are not extracted yet.
 */
export function versionTiming(metadata: unknown): VersionTiming | null {
  const m = (metadata ?? {}) as Record<string, unknown>;
  const video = storedTimedMediaFacts(m.video);
  if (video?.video?.frameRate) return { frameRate: exactFrameRate(video.video.frameRate), durationSeconds: video.durationSeconds };
  const audio = storedTimedMediaFacts(m.audio) ?? video;
  if (audio?.audio?.sampleRate) return { frameRate: audio.audio.sampleRate, durationSeconds: audio.durationSeconds };
  return null;
}

/** A comment's time range from what the client sent (seconds or frames), both kept, checked against the duration. */
export function toTimeRange(input: CommentTimeInput, timing: VersionTiming): CommentTimeRange {
  const { frameRate } = timing;
  let startSeconds: number;
  let endSeconds: number | null;
  if ('startFrame' in input) {
    startSeconds = secondsAtFrame(input.startFrame, frameRate);
    endSeconds = input.endFrame === undefined || input.endFrame === null ? null : secondsAtFrame(input.endFrame, frameRate);
  } else {
    startSeconds = input.startSeconds;
    endSeconds = input.endSeconds ?? null;
  }
  if (endSeconds !== null && endSeconds < startSeconds) {
    throw new StockroomError('VALIDATION_FAILED', 'A time range must end at or after its start. Swap start and end.', { startSeconds, endSeconds });
  }
  // A little slack: containers round their duration, and a comment on the very last frame is fine.
  const limit = timing.durationSeconds === null ? null : timing.durationSeconds + 1 / frameRate;
  if (limit !== null && (startSeconds > limit || (endSeconds ?? 0) > limit)) {
    throw new StockroomError('VALIDATION_FAILED', `The version is ${timing.durationSeconds} s long; place the comment inside it.`, {
      durationSeconds: timing.durationSeconds,
    });
  }
  return {
    startSeconds,
    endSeconds,
    startFrame: frameAtSeconds(startSeconds, frameRate),
    endFrame: endSeconds === null ? null : frameAtSeconds(endSeconds, frameRate),
    frameRate,
  };
}
