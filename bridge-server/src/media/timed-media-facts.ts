import { z } from 'zod';

// What ffprobe tells of a video or audio file, defined once: the types below are inferred
// from these schemas, which also check facts read back from a version's stored metadata.

const videoStreamFactsSchema = z.object({
  codec: z.string(),
  profile: z.string().nullable(),
  /** Coded size, as stored. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Size as shown, after applying rotation. */
  displayWidth: z.number().int().positive(),
  displayHeight: z.number().int().positive(),
  /** Clockwise degrees a player turns the picture: 0, 90, 180 or 270. */
  rotation: z.number().int(),
  frameRate: z.number().nullable(),
  pixelFormat: z.string().nullable(),
});

const audioStreamFactsSchema = z.object({
  codec: z.string(),
  channels: z.number().int(),
  channelLayout: z.string().nullable(),
  sampleRate: z.number(),
  bitRate: z.number().nullable(),
});

const timedMediaFactsSchema = z.object({
  container: z.string(),
  durationSeconds: z.number().nullable(),
  bitRate: z.number().nullable(),
  /** Start timecode (SMPTE), when the file carries one. */
  timecode: z.string().nullable(),
  creationTime: z.string().nullable(),
  video: videoStreamFactsSchema.nullable(),
  audio: audioStreamFactsSchema.nullable(),
});

export type VideoStreamFacts = z.infer<typeof videoStreamFactsSchema>;
export type AudioStreamFacts = z.infer<typeof audioStreamFactsSchema>;
export type TimedMediaFacts = z.infer<typeof timedMediaFactsSchema>;

/**
 * The probe facts the metadata job stored with a version (`metadata.video`), or null when
 * there are none or they have another shape (stored by an older server): the caller then
 * probes the file itself.
 */
export function storedTimedMediaFacts(value: unknown): TimedMediaFacts | null {
  const parsed = timedMediaFactsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
