import type { DerivativeContext, DerivativeFile } from '../media/derivative-file.ts';
import type { MediaMetadata } from '../media/extract-metadata.ts';
import type { MediaFamily } from '../media/families.ts';
import type { MediaLimits } from '../media/limits.ts';
import type { PresetSpec } from '../media/presets.ts';
import type { TimedMediaFacts } from '../media/timed-media-facts.ts';

/**
 * What the worker needs of the media tools (sharp, ffmpeg, ffprobe, the PSD and PDF
 * readers): make one derivative file, and read a file's facts. `adapters/media-tools.ts` implements it
 * with media/; the jobs take it as a dependency.
 */
export interface MediaTools {
  makeDerivative(
    input: string,
    family: MediaFamily,
    name: string,
    preset: PresetSpec,
    limits: MediaLimits,
    context: DerivativeContext,
  ): Promise<DerivativeFile>;
  extractMetadata(
    input: string,
    family: MediaFamily,
    limits: MediaLimits,
    signal?: AbortSignal,
    probe?: () => Promise<TimedMediaFacts>,
  ): Promise<MediaMetadata>;
}
