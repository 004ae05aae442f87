import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO = path.join(import.meta.dirname, '..', '..');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.reduce((s, x) => s + x, 0) / (sorted.length || 1),
  };
}

/**
 * Spawns a command and resolves with the ms until `readyPattern` appears on its output.
 * `onOutput` receives everything it writes after that (stdout and stderr).
 */
export function timeUntil(
  command: string,
  args: string[],
  env: Record<string, string>,
  readyPattern: RegExp,
  onOutput?: (chunk: Buffer) => void,
): Promise<{ ms: number; pid: number; stop: () => Promise<void>; output: () => string }> {
  const started = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d;
      if (readyPattern.test(output)) {
        child.stdout.off('data', onData);
        if (onOutput) {
          child.stdout.on('data', onOutput);
          child.stderr.on('data', onOutput);
        }
        resolve({
          ms: performance.now() - started,
          pid: child.pid!,
          output: () => output,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => (output += d));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
}
