import { assertReadableInput } from './input-check.ts';
import { MediaError } from './errors.ts';
import { probeTimedMedia, type TimedMediaFacts } from './ffprobe.ts';
import type { MediaFamily } from './families.ts';
import { extractImageFacts, type ImageFacts } from './image-facts.ts';
import type { MediaLimits } from './limits.ts';
import { extractPdfFacts, type PdfFacts } from './pdf.ts';
import { extractPsdFacts, type PsdFacts } from './psd.ts';

/**
 * What is stored in a version's `metadata`: the family, the facts every kind shares at the
 * top (width, height, durationSeconds) so search and sorting need not know the kind, and
 * the kind's own facts. `keywords` are what the service turns into tags.
 */
export type MediaMetadata = {
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  keywords: string[];
} & (
  | { family: 'image'; image: ImageFacts }
  | { family: 'psd'; psd: PsdFacts }
  | { family: 'pdf'; pdf: PdfFacts }
  | { family: 'video'; video: TimedMediaFacts }
  | { family: 'audio'; audio: TimedMediaFacts }
);

/** `probe`, when given, reads a video or audio file's facts instead of a probe of its own (see SharedProbe). */
export async function extractMetadata(
  input: string,
  family: MediaFamily,
  limits: MediaLimits,
  signal?: AbortSignal,
  probe?: () => Promise<TimedMediaFacts>,
): Promise<MediaMetadata> {
  await assertReadableInput(input);
  switch (family) {
    case 'image': {
      const image = await extractImageFacts(input, limits);
      return { family, width: image.width, height: image.height, durationSeconds: null, keywords: image.keywords, image };
    }
    case 'psd': {
      const psd = await extractPsdFacts(input, limits);
      return { family, width: psd.width, height: psd.height, durationSeconds: null, keywords: [], psd };
    }
    case 'pdf': {
      const pdf = await extractPdfFacts(input);
      return { family, width: pdf.pageWidth, height: pdf.pageHeight, durationSeconds: null, keywords: pdf.keywords, pdf };
    }
    case 'video':
    case 'audio': {
      const facts = await (probe ? probe() : probeTimedMedia(input, limits, signal));
      const width = facts.video?.displayWidth ?? null;
      const height = facts.video?.displayHeight ?? null;
      // A video file without a picture is audio, whatever its extension said.
      if (facts.video && family === 'video') return { family: 'video', width, height, durationSeconds: facts.durationSeconds, keywords: [], video: facts };
      return { family: 'audio', width, height, durationSeconds: facts.durationSeconds, keywords: [], audio: facts };
    }
    default:
      throw new MediaError('unsupported-format', 'Stockroom extracts no facts from this type of file; the original can still be downloaded.');
  }
}
