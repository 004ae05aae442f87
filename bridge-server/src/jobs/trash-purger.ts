import type { Logger } from '../logger.ts';
import type { LibraryService } from '../services/library.ts';

/** Removes for good, once an hour, the assets that have been in the trash longer than the retention period. */
export class TrashPurger {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly library: LibraryService,
    private readonly logger: Logger,
    private readonly everyMs = 3_600_000,
  ) {}

  start(): void {
    const run = () => {
      this.running ??= this.library
        .purgeExpired()
        .then((purged) => purged > 0 && this.logger.info({ purged }, 'removed assets whose time in the trash ended'))
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not empty the expired part of the trash; trying again later'))
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
}
