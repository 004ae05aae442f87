import { z } from 'zod';
import type { MediaFamily } from './families.ts';

const size = z.number().int().min(16).max(8192);
const quality = z.number().int().min(1).max(100);
/** `auto`: JPEG for opaque pictures, PNG where there is transparency to keep. */
const stillFormat = z.enum(['auto', 'jpeg', 'png', 'webp']);

const imagePresetSchema = z.object({
  type: z.literal('image'),
  /** Longest side in pixels; smaller originals are not enlarged. */
  size,
  format: stillFormat.default('auto'),
  quality: quality.default(82),
});

const posterPresetSchema = z.object({
  type: z.literal('poster'),
  size,
  format: stillFormat.default('jpeg'),
  quality: quality.default(82),
  /** Where the frame is taken, as a fraction of the duration. */
  at: z.number().min(0).max(1).default(0.1),
});

const proxyPresetSchema = z.object({
  type: z.literal('proxy'),
  /**
   * Most pixels on the short side: the original is halved until it fits (1920×1080 → 960×540,
   * 3840×2160 → 960×540), so the proxy attaches in Premiere Pro; never enlarged.
   */
  shortSide: z.number().int().min(144).max(2160).default(720),
  crf: z.number().int().min(0).max(51).default(23),
  speed: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
  audioBitrateKbps: z.number().int().min(32).max(512).default(128),
});

export const filmstripPresetSchema = z.object({
  type: z.literal('filmstrip'),
  frames: z.number().int().min(1).max(200).default(10),
  tileWidth: z.number().int().min(32).max(1024).default(160),
  /** Tiles per row; defaults to all frames in one row. */
  columns: z.number().int().min(1).max(200).optional(),
  quality: quality.default(75),
});

const peaksPresetSchema = z.object({
  type: z.literal('peaks'),
  /** Number of min/max pairs across the whole duration. */
  length: z.number().int().min(16).max(100_000).default(2000),
  sampleRate: z.number().int().min(1000).max(48_000).default(8000),
});

const waveformPresetSchema = z.object({
  type: z.literal('waveform'),
  width: z.number().int().min(16).max(8192).default(1600),
  height: z.number().int().min(16).max(2048).default(200),
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .default('#3b82f6'),
});

const audioPreviewPresetSchema = z.object({
  type: z.literal('audio-preview'),
  bitrateKbps: z.number().int().min(32).max(512).default(128),
});

const presetSchema = z.discriminatedUnion('type', [
  imagePresetSchema,
  posterPresetSchema,
  proxyPresetSchema,
  filmstripPresetSchema,
  peaksPresetSchema,
  waveformPresetSchema,
  audioPreviewPresetSchema,
]);
export type PresetSpec = z.infer<typeof presetSchema>;
export type ImagePreset = z.infer<typeof imagePresetSchema>;
export type PosterPreset = z.infer<typeof posterPresetSchema>;
export type ProxyPreset = z.infer<typeof proxyPresetSchema>;
export type FilmstripPreset = z.infer<typeof filmstripPresetSchema>;
export type PeaksPreset = z.infer<typeof peaksPresetSchema>;
export type WaveformPreset = z.infer<typeof waveformPresetSchema>;
export type AudioPreviewPreset = z.infer<typeof audioPreviewPresetSchema>;

const presetName = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lowercase letters, digits and hyphens');

/**
 * Derivative presets per kind of source. `still` applies to images, PSD/PSB and PDF/AI
 * (first page); `video` and `audio` to timed media. Changing a preset and running
 * `derivatives regenerate --all` rebuilds what exists.
 */
export const presetsSchema = z.object({
  still: z.record(presetName, imagePresetSchema),
  video: z.record(presetName, z.discriminatedUnion('type', [posterPresetSchema, proxyPresetSchema, filmstripPresetSchema])),
  audio: z.record(presetName, z.discriminatedUnion('type', [peaksPresetSchema, waveformPresetSchema, audioPreviewPresetSchema])),
});
export type Presets = z.infer<typeof presetsSchema>;

export const DEFAULT_PRESETS: Presets = presetsSchema.parse({
  still: {
    thumbnail: { type: 'image', size: 256 },
    preview: { type: 'image', size: 1600 },
  },
  video: {
    thumbnail: { type: 'poster', size: 256 },
    poster: { type: 'poster', size: 1600 },
    proxy: { type: 'proxy' },
    filmstrip: { type: 'filmstrip' },
  },
  audio: {
    peaks: { type: 'peaks' },
    waveform: { type: 'waveform' },
    preview: { type: 'audio-preview' },
  },
});

/** The presets that apply to a file of this family, by name. */
export function presetsFor(family: MediaFamily, presets: Presets): [string, PresetSpec][] {
  switch (family) {
    case 'image':
    case 'psd':
    case 'pdf':
      return Object.entries(presets.still);
    case 'video':
      return Object.entries(presets.video);
    case 'audio':
      return Object.entries(presets.audio);
    default:
      return [];
  }
}
