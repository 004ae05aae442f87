import { z } from 'zod';
import type { TimedMediaFacts } from './ffprobe.ts';

const videoStream = z.object({
  codec: z.string(),
  profile: z.string().nullable(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  displayWidth: z.number().int().positive(),
  displayHeight: z.number().int().positive(),
  rotation: z.number().int(),
  frameRate: z.number().nullable(),
  pixelFormat: z.string().nullable(),
});
const audioStream = z.object({
  codec: z.string(),
  channels: z.number().int(),
  channelLayout: z.string().nullable(),
  sampleRate: z.number(),
  bitRate: z.number().nullable(),
});
const timedMediaFacts = z.object({
  container: z.string(),
  durationSeconds: z.number().nullable(),
  bitRate: z.number().nullable(),
  timecode: z.string().nullable(),
  creationTime: z.string().nullable(),
  video: videoStream.nullable(),
  audio: audioStream.nullable(),
});

/**
 * The probe facts the metadata job stored with a version (`metadata.video`), or null when
 * there are none or they have another shape (stored by an older server): the caller then
 * probes the file itself.
 */
export function storedTimedMediaFacts(value: unknown): TimedMediaFacts | null {
  const parsed = timedMediaFacts.safeParse(value);
  return parsed.success ? parsed.data : null;
}
