import type { Logger } from '../logger.ts';
import type { SearchIndex } from '../ports/search-index.ts';
import type { Sql } from '../repositories/db.ts';
import { inSqlTransaction, outbox } from '../repositories/outbox.ts';

export interface SearchIndexerOptions {
  batchSize?: number;
  /** How often to look for changes when no notification arrives. */
  pollMs?: number;
  /**
   * The shortest time between the starts of two looks at the outbox. A lone change is
   * applied at once; in a stream of changes (a worker finishing jobs, 20 events a second)
   * each look applies what came during the interval in one batch instead of one transaction
   * per event. Default 150 ms: well inside the 1 s freshness the search promises, also on a busy machine.
   */
  minIntervalMs?: number;
  /** Longest wait between two attempts after a failure (backoff doubles from 100 ms). */
  maxBackoffMs?: number;
}

export interface SearchLag {
  backend: string;
  /** Outbox events not yet applied to the index (events that change nothing indexed do not count). */
  pendingEvents: number;
  /** Age of the oldest change not yet applied, 0 when the index is up to date. */
  oldestPendingSeconds: number;
}

/**
 * Events about an asset that change nothing the index holds (a derivative, a job's state):
 * syncing their asset would rewrite an identical document. A worker making thumbnails
 * emits two of these per image, so skipping them halves the indexer's work there.
 */
const LEAVES_THE_INDEX_AS_IS: ReadonlySet<string> = new Set([
  'derivative.ready',
  'job.progress',
  'job.failed',
  'comment.created',
  'comment.updated',
  'comment.resolved',
  'comment.deleted',
]);

/** The asset whose search document an outbox event may change, if any. */
export function indexedAssetIdOf(event: string, data: unknown): string | null {
  return LEAVES_THE_INDEX_AS_IS.has(event) ? null : assetIdOf(data);
}

/** The asset an outbox event is about, if any: every asset event names it as assetId or asset.id. */
export function assetIdOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const record = data as { assetId?: unknown; asset?: { id?: unknown } };
  if (typeof record.assetId === 'string') return record.assetId;
  if (typeof record.asset?.id === 'string') return record.asset.id;
  return null;
}

/**
 * Feeds the search index from the outbox. Each batch re-reads the named assets
 * from the database and syncs them (so the index converges whatever the event
 * was), then moves a persistent cursor — under a row lock, so processes running
 * the indexer take turns.
 *
 * The cursor only passes a missing outbox id (a gap) once no transaction that
 * could still commit it is running: outbox ids are allocated before commit, so a
 * slow transaction can commit an id below ones already seen. Events beyond a gap
 * are indexed at once all the same; only the cursor waits.
 */
export class SearchIndexer {
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly minIntervalMs: number;
  private lastRunAt = -Infinity;
  /** A look put off until the interval is over; later wake-ups join it. */
  private deferred: NodeJS.Timeout | undefined;
  private readonly maxBackoffMs: number;
  /** Outbox ids above the cursor that are already applied (beyond a gap). */
  private readonly applied = new Set<bigint>();
  /** Gap id → the xmax of the snapshot in which it was first seen missing. */
  private readonly gaps = new Map<bigint, bigint>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failures = 0;

  /**
   * `sql`: plain SQL, not Prisma. A look at the outbox runs several times a second while a
   * worker streams changes; through Prisma's interactive transaction it cost a few ms of CPU.
   */
  constructor(
    private readonly sql: Sql,
    private readonly index: SearchIndex,
    private readonly logger: Logger,
    options: SearchIndexerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 1000;
    this.minIntervalMs = options.minIntervalMs ?? 150;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  get backend(): string {
    return this.index.backend;
  }

  async start(): Promise<void> {
    await this.index.prepare();
    this.stopped = false;
    this.wake();
  }

  /**
   * An outbox notification: `event` is the event's name (null when the payload has none).
   * Events that change nothing indexed wake nobody; the next look or poll passes them.
   */
  notified(event: string | null): void {
    if (event === null || !LEAVES_THE_INDEX_AS_IS.has(event)) this.wake();
  }

  /** Look for new changes: now, or when the interval since the last look is over. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.deferred) return;
    clearTimeout(this.timer);
    const wait = this.lastRunAt + this.minIntervalMs - performance.now();
    if (wait <= 0) return this.run();
    this.deferred = setTimeout(() => {
      this.deferred = undefined;
      this.run();
    }, wait);
    this.deferred.unref?.();
  }

  private run(): void {
    if (this.stopped) return;
    this.lastRunAt = performance.now();
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) return this.wake();
      const delay = this.failures ? Math.min(this.maxBackoffMs, 100 * 2 ** (this.failures - 1)) : this.pollMs;
      this.timer = setTimeout(() => this.wake(), delay);
      this.timer.unref?.();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearTimeout(this.deferred);
    this.deferred = undefined;
    await this.running;
  }

  /** Processes what is pending now; resolves when caught up (used by tests and `search reindex`). */
  async drain(): Promise<void> {
    while ((await this.runOnce()) === this.batchSize) {
      // a full batch: there may be more
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        while ((await this.runOnce()) === this.batchSize && !this.stopped) {
          // keep going while batches are full
        }
        this.failures = 0;
      } catch (error) {
        this.failures++;
        this.logger.warn({ err: error, backend: this.backend, failures: this.failures }, 'search indexing failed; retrying');
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** One batch: returns how many outbox events were read. */
  async runOnce(): Promise<number> {
    const backend = this.backend;
    return inSqlTransaction(this.sql, async (client) => {
      // One round trip: create the cursor row if needed, lock it (processes take turns) and read it.
      const state = await outbox.lockCursor(client, backend);
      const cursor = BigInt(state.cursor);
      const rows = await outbox.after(client, cursor, this.batchSize);
      for (const id of this.applied) if (id <= cursor) this.applied.delete(id);
      const fresh = rows.filter((row) => !this.applied.has(BigInt(row.id)));
      const assetIds = [...new Set(fresh.map((row) => indexedAssetIdOf(row.event, row.data)).filter((id): id is string => id !== null))];
      await this.index.sync(assetIds);
      for (const row of fresh) this.applied.add(BigInt(row.id));
      const next = this.advance(
        cursor,
        rows.map((row) => BigInt(row.id)),
        BigInt(state.xmin),
        BigInt(state.xmax),
      );
      for (const id of this.applied) if (id <= next) this.applied.delete(id);
      if (next !== cursor) await outbox.moveCursor(client, backend, next);
      return rows.length;
    });
  }

  /** The new cursor: past every present id and every gap that can no longer be filled. */
  private advance(cursor: bigint, ids: bigint[], xmin: bigint, xmax: bigint): bigint {
    let next = cursor;
    for (const id of ids) {
      for (let gap = next + 1n; gap < id; gap++) {
        const seenWith = this.gaps.get(gap);
        if (seenWith === undefined) this.gaps.set(gap, xmax);
        // Every transaction that could hold this id was running when the gap was first seen,
        // so once the oldest running transaction is newer than that snapshot, the gap is final.
        if (seenWith === undefined || xmin < seenWith) return next;
        this.gaps.delete(gap);
      }
      next = id;
    }
    return next;
  }

  /** How far the index is behind the outbox. */
  async lag(): Promise<SearchLag> {
    // Events beyond a gap are applied already; only this process knows which.
    const applied = [...this.applied].map(String);
    const row = await outbox.pendingFor(this.sql, this.backend, applied, [...LEAVES_THE_INDEX_AS_IS]);
    const pendingEvents = row.pending;
    const oldest = row.oldest ? (Date.now() - new Date(row.oldest).getTime()) / 1000 : 0;
    return { backend: this.backend, pendingEvents, oldestPendingSeconds: pendingEvents ? Math.max(0, oldest) : 0 };
  }
}
