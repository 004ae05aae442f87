import v8 from 'node:v8';

/** How far V8 lets the old generation grow past what the last full collection kept, in percent. */
const API_HEAP_GROWING_PERCENT = 100;

/**
 * Lets the heap of a process that serves uploads grow to twice its live size before a full
 * collection, instead of V8's own factor (about 1.4 for a small, mostly idle heap).
 *
 * Behind a round-robin balancer each api process takes every other chunk of an upload and
 * idles between them. With V8's factor the room left above the live heap (about 23 MB of
 * 80 MB) stayed below the young generation's capacity, so V8 started incremental marking from
 * a task after nearly every chunk: 12-45 full collections per 256 MiB on the process that took
 * only alternate chunks, none on the other, and about 1 s more server CPU per 256 MiB than the
 * same chunks through one process (docs/benchmarks.md, "Uploads across processes"). With twice
 * the live size, one. The cost is at most the live heap again (tens of MB) per process.
 *
 * V8 reads this flag at every full collection, so setting it at start takes effect. An
 * operator's own --heap-growing-percent (NODE_OPTIONS or the command line) is left alone.
 */
export function tuneHeapGrowthForUploads(): void {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((flag) => /^--heap[-_]growing[-_]percent\b/.test(flag))) return;
  v8.setFlagsFromString(`--heap-growing-percent=${API_HEAP_GROWING_PERCENT}`);
}
