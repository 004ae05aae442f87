import { createFile, MP4BoxBuffer, type Movie } from 'mp4box';

/** What Premiere's proxy check compares, read from a file's own bytes. */
export interface MediaFacts {
  kind: 'video' | 'audio' | 'still' | 'other';
  width: number;
  height: number;
  frameRate: number;
  durationSeconds: number;
  audioChannels: number;
}

const STILL = /\.(png|jpe?g|gif|tiff?|psd|bmp|webp)$/i;
const facts = new WeakMap<Uint8Array, MediaFacts>();

/**
 * Facts of an MP4/MOV file from its boxes (with GPAC's mp4box.js), or of a still by its
 * name. The fake host reads them from the file it is given, as Premiere would, instead
 * of trusting what the panel says about it.
 */
export function mediaFacts(path: string, bytes: Uint8Array): MediaFacts {
  const known = facts.get(bytes);
  if (known) return known;
  const result = STILL.test(path) ? still() : readMovie(bytes);
  facts.set(bytes, result);
  return result;
}

function still(): MediaFacts {
  return { kind: 'still', width: 0, height: 0, frameRate: 0, durationSeconds: 0, audioChannels: 0 };
}

function readMovie(bytes: Uint8Array): MediaFacts {
  let movie: Movie | null = null;
  const file = createFile();
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = () => {
    movie = null;
  };
  const copy = bytes.slice().buffer;
  file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, 0), true);
  file.flush();
  const info = movie as Movie | null;
  if (!info) return { kind: 'other', width: 0, height: 0, frameRate: 0, durationSeconds: 0, audioChannels: 0 };
  const video = info.videoTracks[0];
  const audio = info.audioTracks[0];
  const durationSeconds = info.timescale > 0 ? info.duration / info.timescale : 0;
  return {
    kind: video ? 'video' : audio ? 'audio' : 'other',
    width: video?.video?.width ?? 0,
    height: video?.video?.height ?? 0,
    frameRate: video && video.duration > 0 ? Math.round((video.nb_samples / (video.duration / video.timescale)) * 1000) / 1000 : 0,
    durationSeconds,
    audioChannels: audio ? audioChannels(file, audio.id, audio.audio?.channel_count ?? 0) : 0,
  };
}

/**
 * MP4 writes 2 as the sample entry's channel count for any AAC stream; the real count is
 * the channel configuration in the AudioSpecificConfig (ISO 14496-3), inside the esds box.
 */
function audioChannels(file: ReturnType<typeof createFile>, trackId: number, declared: number): number {
  const trak = file.getTrackById(trackId) as unknown as {
    mdia?: { minf?: { stbl?: { stsd?: { entries?: Array<{ esds?: { esd?: { descs?: Array<{ descs?: Array<{ data?: Uint8Array }> }> } } }> } } } };
  };
  const config = trak.mdia?.minf?.stbl?.stsd?.entries?.[0]?.esds?.esd?.descs?.[0]?.descs?.[0]?.data;
  if (!config || config.length < 2) return declared;
  // 5 bits object type, 4 bits sampling frequency index, then 4 bits channel configuration.
  const channelConfiguration = (config[1]! >> 3) & 0x0f;
  return channelConfiguration > 0 ? channelConfiguration : declared;
}
