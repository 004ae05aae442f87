import type { Logger } from '../logger.ts';
import { claimHousekeepingRun } from '../repositories/housekeeping.ts';
import type { Sql } from '../repositories/db.ts';

export interface HousekeepingTask {
  /** Stable name: the claim is kept under it. */
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * Maintenance that must happen once per cluster, not once per process (outbox
 * pruning, expired sessions, device codes, rate-limit counters, abandoned uploads,
 * client sessions of crashed processes): every process looks now and then, and
 * the one that claims the period in `housekeeping_runs` does the work.
 */
export class Housekeeping {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly sql: Sql,
    private readonly logger: Logger,
  ) {}

  /** Checks at a tenth of the period (at least every minute), so one process's absence delays a run by little. */
  schedule(task: HousekeepingTask): void {
    const tick = () => {
      const run = this.runIfDue(task).finally(() => this.running.delete(run));
      this.running.add(run);
    };
    tick();
    const timer = setInterval(tick, Math.min(Math.max(task.everyMs / 10, 1000), 60_000));
    timer.unref();
    this.timers.push(timer);
  }

  /** Runs the task when this process claims the current period; true when it ran. */
  async runIfDue(task: HousekeepingTask): Promise<boolean> {
    try {
      if (!(await claimHousekeepingRun(this.sql, task.name, task.everyMs))) return false;
      await task.run();
      return true;
    } catch (error) {
      this.logger.warn({ err: error, task: task.name }, 'housekeeping failed; the next period tries again');
      return false;
    }
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled([...this.running]);
  }
}
