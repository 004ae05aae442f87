// Reads derivatives back with the tools themselves (sharp, ffprobe), independent of the code under test.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  channels?: number;
  sample_rate?: string;
  side_data_list?: { rotation?: number }[];
  tags?: Record<string, string>;
}

export async function ffprobe(file: string): Promise<{ format: { duration: string; format_name: string }; streams: ProbedStream[] }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file]);
  return JSON.parse(stdout);
}

/** True when the MP4 index (moov) precedes the media data (mdat): playable while downloading. */
export async function isFaststart(file: string): Promise<boolean> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(file);
  const moov = bytes.indexOf('moov');
  const mdat = bytes.indexOf('mdat');
  return moov > 0 && mdat > 0 && moov < mdat;
}

export async function pixel(file: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const offset = (y * info.width + x) * info.channels;
  return [...data.subarray(offset, offset + info.channels)];
}

export const near = (actual: number[], expected: number[], tolerance = 12) =>
  actual.length >= expected.length && expected.every((value, i) => Math.abs(actual[i]! - value) <= tolerance);
