// Runs every benchmark, one after the other, each in its own process so that one's
// memory and caches do not colour the next. `pnpm bench [name...]` runs only those.
// The numbers go to stdout; docs/benchmarks.md holds the table of recorded runs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHES: Record<string, string> = {
  'start-ready': 'core/start-ready.ts',
  'checkin-roundtrip': 'core/checkin-roundtrip.ts',
  'upload-throughput': 'upload-throughput.ts',
  'upload-scale': 'upload-scale.ts',
  thumbnails: 'derivatives/thumbnails.ts',
  'thumbnail-source': 'derivatives/thumbnail-source.ts',
  'thumbnail-requests': 'core/thumbnail-requests.ts',
  'video-proxy': 'derivatives/video-proxy.ts',
  'media-download': 'panels/media-download.ts',
  'search-latency': 'search/search-latency.ts',
  'typo-relevance': 'search/typo-relevance.ts',
  'dashboard-page-load': 'dashboard/page-load.ts',
  'dashboard-grid-scroll': 'dashboard/grid-scroll.ts',
  'search-to-paint': 'panels/search-to-paint.ts',
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in BENCHES));
if (unknown.length) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Choose from: ${Object.keys(BENCHES).join(', ')}.`);
  process.exit(2);
}
let failed = 0;
for (const [name, file] of Object.entries(BENCHES)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== ${name}`);
  // Through scripts/runtime-env.sh, so each benchmark runs with the runtime settings ./stockroom gives the server.
  const run = spawnSync(
    'bash',
    ['-c', 'source scripts/runtime-env.sh && exec "$0" --import tsx "$1"', process.execPath, path.join(import.meta.dirname, file)],
    {
      stdio: 'inherit',
      cwd: path.join(import.meta.dirname, '..'),
    },
  );
  if (run.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
