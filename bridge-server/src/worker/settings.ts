import { readFileSync } from 'node:fs';
import os from 'node:os';
import { z } from 'zod';
import type { QueueSettings } from '../ports/job-queue.ts';
import type { KeepOriginals } from './local-originals.ts';
import { DEFAULT_MEDIA_LIMITS, type MediaLimits } from '../media/limits.ts';
import { DEFAULT_PRESETS, presetsSchema, type Presets } from '../media/presets.ts';

/** How the worker makes derivatives: presets, limits, retries, concurrency. */
export interface MediaSettings {
  presets: Presets;
  limits: MediaLimits;
  queue: QueueSettings;
  concurrency: number;
  /** Scratch space for originals and outputs while a job runs. */
  workDir: string;
  /** Copies of originals kept for this worker's next job of the same version (see LocalOriginals). */
  keepOriginals: KeepOriginals;
}

const positive = z.coerce.number().positive();
const envSchema = z.object({
  DERIVATIVE_PRESETS_FILE: z.string().min(1).optional(),
  MEDIA_MAX_PIXELS: positive.optional(),
  MEDIA_MAX_DURATION_SECONDS: positive.optional(),
  MEDIA_JOB_TIMEOUT_SECONDS: positive.optional(),
  JOB_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).optional(),
  JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
  JOB_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).optional(),
  JOB_SUPERVISE_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  JOB_POLL_SECONDS: z.coerce.number().min(0.5).max(60).optional(),
});

/**
 * Reads the derivative settings from the environment. Presets come from a JSON file
 * (`DERIVATIVE_PRESETS_FILE`, same shape as DEFAULT_PRESETS); after changing them, run
 * `stockroom derivatives regenerate --all`. Problems are returned, named by variable.
 */
export function parseMediaSettings(env: NodeJS.ProcessEnv, base: { concurrency: number; dataDir: string }): { settings: MediaSettings; problems: string[] } {
  const problems: string[] = [];
  const parsed = envSchema.safeParse(env);
  const e = parsed.success ? parsed.data : {};
  if (!parsed.success) for (const issue of parsed.error.issues) problems.push(`${String(issue.path[0])}: expected ${issue.message}`);
  let presets = DEFAULT_PRESETS;
  if (e.DERIVATIVE_PRESETS_FILE) {
    try {
      presets = presetsSchema.parse(JSON.parse(readFileSync(e.DERIVATIVE_PRESETS_FILE, 'utf8')));
    } catch (error) {
      problems.push(`DERIVATIVE_PRESETS_FILE=${e.DERIVATIVE_PRESETS_FILE}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const timeoutMs = (e.MEDIA_JOB_TIMEOUT_SECONDS ?? DEFAULT_MEDIA_LIMITS.timeoutMs / 1000) * 1000;
  return {
    problems,
    settings: {
      presets,
      limits: {
        ...DEFAULT_MEDIA_LIMITS,
        maxPixels: e.MEDIA_MAX_PIXELS ?? DEFAULT_MEDIA_LIMITS.maxPixels,
        maxDurationSeconds: e.MEDIA_MAX_DURATION_SECONDS ?? DEFAULT_MEDIA_LIMITS.maxDurationSeconds,
        timeoutMs,
      },
      queue: {
        retryLimit: e.JOB_RETRY_LIMIT ?? 3,
        retryDelaySeconds: e.JOB_RETRY_DELAY_SECONDS ?? 5,
        heartbeatSeconds: e.JOB_HEARTBEAT_SECONDS ?? 30,
        // A job may wait for a media slot through one other job's media work (lanes are twice
        // the slots, slots are handed out in order), then runs its own, then stores the result.
        expireInSeconds: 2 * Math.ceil(timeoutMs / 1000) + 300,
        superviseIntervalSeconds: e.JOB_SUPERVISE_SECONDS ?? 30,
        pollingIntervalSeconds: e.JOB_POLL_SECONDS ?? 0.5,
      },
      concurrency: base.concurrency || os.cpus().length || 1,
      workDir: `${base.dataDir}/work`,
      // A version's other job starts within seconds, unless a backlog holds it back.
      keepOriginals: { ms: 10 * 60_000, bytes: 2 * 1024 ** 3 },
    },
  };
}
