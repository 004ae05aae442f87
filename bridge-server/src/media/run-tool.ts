import { spawn } from 'node:child_process';
import { MediaError } from './errors.ts';

export interface RunToolOptions {
  /** `nice` increment; 0 runs the tool at normal priority. */
  niceness: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Keep stdout as bytes (image pipes) instead of discarding it. */
  captureStdout?: boolean;
  /** Called for every complete stdout line (ffmpeg `-progress pipe:1`). */
  onStdoutLine?: (line: string) => void;
  /** Paths left out of error details (they name temporary files nobody can act on). */
  redact?: readonly string[];
  /** Called with every stdout chunk, for streams too large to keep (decoded audio). */
  onStdoutChunk?: (chunk: Buffer) => void;
}

export interface RunToolResult {
  stdout: Buffer;
  stderr: string;
}

const STDERR_TAIL = 8 * 1024;

/**
 * Runs an external tool (ffmpeg, ffprobe, pdftoppm) with an argument array — never through a
 * shell — at lowered priority, killing it on timeout or abort. A small wrapper rather than
 * fluent-ffmpeg: that library is archived, builds the same argument array, and offers
 * neither `nice` nor a hard kill on timeout.
 */
export function runTool(command: string, args: readonly string[], options: RunToolOptions): Promise<RunToolResult> {
  const [file, argv] = options.niceness > 0 ? ['nice', ['-n', String(options.niceness), command, ...args]] : [command, [...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    let pending = '';
    let settled = false;
    let killedFor: 'timeout' | 'abort' | undefined;

    const kill = (why: 'timeout' | 'abort') => {
      killedFor = why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill('timeout'), options.timeoutMs);
    const onAbort = () => kill('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) kill('abort');

    const finish = (error: Error | undefined, result?: RunToolResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(result!);
    };

    child.stdout.on('data', (chunk: Buffer) => {
      if (options.captureStdout) chunks.push(chunk);
      options.onStdoutChunk?.(chunk);
      if (options.onStdoutLine) {
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) options.onStdoutLine(line.trim());
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.on('error', (error) => finish(new MediaError('tool-failed', `Could not start ${command}: ${error.message}. Is it installed?`, { cause: error })));
    child.on('close', (code, signal) => {
      if (killedFor === 'timeout') {
        finish(new MediaError('timeout', `${command} took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped.`));
      } else if (killedFor === 'abort') {
        finish(new MediaError('timeout', `${command} was stopped because the job was cancelled.`));
      } else if (code === 0) {
        finish(undefined, { stdout: Buffer.concat(chunks), stderr });
      } else {
        let detail = lastMeaningfulLine(stderr) ?? `exit ${code ?? signal}`;
        for (const text of options.redact ?? []) detail = detail.replaceAll(`${text}: `, '').replaceAll(text, 'the file');
        finish(new ToolExitError(command, code, detail, stderr));
      }
    });
  });
}

/** A tool ran and failed; `detail` is the last line it printed, which usually names the problem. */
export class ToolExitError extends MediaError {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly detail: string,
    readonly stderr: string,
  ) {
    super('tool-failed', `${command} failed: ${detail}`);
    this.name = 'ToolExitError';
  }
}

function lastMeaningfulLine(text: string): string | undefined {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('Conversion failed'));
  return lines.at(-1);
}
