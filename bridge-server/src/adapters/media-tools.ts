import type { MediaTools } from '../ports/media-tools.ts';
import { extractMetadata } from '../media/extract-metadata.ts';
import { makeDerivative } from '../media/make-derivative.ts';

/** The media tools of this machine: sharp, ffmpeg and the readers in media/. */
export const mediaTools: MediaTools = { makeDerivative, extractMetadata };
