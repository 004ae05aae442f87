import { makeAudioPreview, makePeaks, makeWaveformImage } from './audio-derivatives.ts';
import type { DerivativeContext, DerivativeFile } from './derivative-file.ts';
import { MediaError } from './errors.ts';
import type { MediaFamily } from './families.ts';
import { assertReadableInput } from './input-check.ts';
import type { MediaLimits } from './limits.ts';
import type { PresetSpec } from './presets.ts';
import { makeStillDerivative } from './still-derivative.ts';
import { makeFilmstrip, makePoster, makeProxy } from './video-derivatives.ts';

/** Makes one derivative of `input` according to `preset`, written into `context.outDir`. */
export async function makeDerivative(
  input: string,
  family: MediaFamily,
  name: string,
  preset: PresetSpec,
  limits: MediaLimits,
  context: DerivativeContext,
): Promise<DerivativeFile> {
  await assertReadableInput(input);
  switch (preset.type) {
    case 'image':
      if (family !== 'image' && family !== 'psd' && family !== 'pdf') break;
      return makeStillDerivative(input, family, name, preset, limits, context);
    case 'poster':
      return makePoster(input, name, preset, limits, context);
    case 'proxy':
      return makeProxy(input, name, preset, limits, context);
    case 'filmstrip':
      return makeFilmstrip(input, name, preset, limits, context);
    case 'peaks':
      return makePeaks(input, name, preset, limits, context);
    case 'waveform':
      return makeWaveformImage(input, name, preset, limits, context);
    case 'audio-preview':
      return makeAudioPreview(input, name, preset, limits, context);
  }
  throw new MediaError('unsupported-format', `The preset "${name}" does not apply to ${family} files.`);
}
