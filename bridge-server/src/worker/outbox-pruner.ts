import type { Db } from '../repositories/db.ts';
import { outbox } from '../repositories/outbox.ts';
import type { Logger } from '../logger.ts';

export interface OutboxPrunerOptions {
  /** Events younger than this are kept whatever the cursors say. */
  retentionMs: number;
  /** How often to prune. */
  everyMs?: number;
  /** Rows deleted per statement, so a large backlog never holds one long transaction. */
  batchSize?: number;
}

/**
 * Deletes outbox events that every reader is done with. The readers are the live event
 * bus (which reads an event by id right after its notification, so within seconds) and
 * the search indexers (each keeps a cursor in search_index_cursors). An event goes once it
 * is at or below the lowest cursor and older than the retention; with no cursor at all,
 * nothing goes.
 */
export class OutboxPruner {
  private readonly everyMs: number;
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly options: OutboxPrunerOptions,
  ) {
    this.everyMs = options.everyMs ?? 3_600_000;
    this.batchSize = options.batchSize ?? 10_000;
  }

  start(): void {
    const run = () => {
      this.running ??= this.prune()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not prune the outbox; trying again later'))
        .finally(() => (this.running = undefined));
    };
    run();
    this.timer = setInterval(run, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Deletes what may go, in batches; returns how many events were deleted. */
  async prune(): Promise<number> {
    const keepAfter = new Date(Date.now() - this.options.retentionMs);
    let total = 0;
    for (;;) {
      const deleted = await outbox.pruneBatch(this.db, keepAfter, this.batchSize);
      total += deleted;
      if (deleted < this.batchSize) break;
    }
    if (total) this.logger.info({ deleted: total }, 'pruned the outbox');
    return total;
  }
}
