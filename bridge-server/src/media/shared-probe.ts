import { probeTimedMedia } from './ffprobe.ts';
import type { MediaLimits } from './limits.ts';
import type { TimedMediaFacts } from './timed-media-facts.ts';

/** How many originals' facts are kept; each is a few hundred bytes. */
const DEFAULT_CAPACITY = 256;

/**
 * One ffprobe per original at a time in this process. A new video's metadata job and its
 * derivative job start together and both need the same facts, and each preset of the job
 * (poster, filmstrip, proxy; peaks, waveform, audio preview) needs them again. Starting
 * ffprobe costs about 0.2 s of CPU here before it reads a byte. Keyed by the original's
 * SHA-256: the same bytes always give the same facts, so an answer never goes stale. A
 * failed probe is not kept.
 */
export class SharedProbe {
  private readonly answers = new Map<string, Promise<TimedMediaFacts>>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** How a job reads the facts of the original `sha256`, stored at `file`: through this shared probe. */
  probeFor(sha256: string, file: string, limits: Pick<MediaLimits, 'niceness' | 'timeoutMs'>, signal?: AbortSignal): () => Promise<TimedMediaFacts> {
    return () => this.facts(sha256, () => probeTimedMedia(file, limits), signal);
  }

  /**
   * The facts of the original `sha256`, from `probe` when nobody in this process has them
   * or is reading them. `probe` runs without the caller's abort signal (another caller may
   * be waiting for it); `signal` only stops this caller's wait. A caller that was waiting on
   * somebody else's probe that failed probes again itself, so one caller's trouble (its
   * scratch copy removed, say) never becomes another's failure.
   */
  async facts(sha256: string, probe: () => Promise<TimedMediaFacts>, signal?: AbortSignal): Promise<TimedMediaFacts> {
    const known = this.answers.get(sha256);
    if (known) {
      this.answers.delete(sha256); // re-inserted: most recently used last
      this.answers.set(sha256, known);
      try {
        return await untilAborted(known, signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        // The failed answer is gone by now (removed when it failed): this caller probes anew.
        return this.facts(sha256, probe, signal);
      }
    }
    const answer = probe();
    this.answers.set(sha256, answer);
    answer.catch(() => {
      if (this.answers.get(sha256) === answer) this.answers.delete(sha256);
    });
    while (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value!);
    return untilAborted(answer, signal);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
