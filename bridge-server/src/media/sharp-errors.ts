import { MediaError, isMediaError } from './errors.ts';

/** Turns libvips/sharp errors into a failure reason and a message a person can act on. */
export function mediaErrorFromSharp(error: unknown, what = 'image'): MediaError {
  if (isMediaError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new MediaError('too-many-pixels', `The ${what} has more pixels than this server decodes. Raise the pixel limit or upload a smaller file.`, {
      cause: error,
    });
  }
  if (/unsupported image format/i.test(message)) {
    return new MediaError('unsupported-format', `The file is not an ${what} format this server can read.`, { cause: error });
  }
  if (/timeout/i.test(message)) {
    return new MediaError('timeout', `Converting the ${what} took too long and was stopped.`, { cause: error });
  }
  const firstLine =
    message
      .split('\n')
      .find((line) => line.trim().length > 0)
      ?.trim() ?? 'unknown error';
  return new MediaError('corrupt-file', `The ${what} is damaged or incomplete (${firstLine}). Upload an intact copy.`, { cause: error });
}
