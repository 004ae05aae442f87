import { stat } from 'node:fs/promises';
import { MediaError } from './errors.ts';

/** Fails early, with a clear reason, on a missing or empty file. */
export async function assertReadableInput(input: string): Promise<void> {
  const info = await stat(input).catch((error: unknown) => {
    throw new MediaError('corrupt-file', `The stored original is missing (${(error as Error).message}).`, { cause: error });
  });
  if (info.size === 0) throw new MediaError('empty-file', 'The file is empty (0 bytes), so there is nothing to preview. Upload it again.');
}
