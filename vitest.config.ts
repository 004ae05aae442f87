import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Unit specs live beside the services (bridge-server/src/**/*.spec.ts); vitest.unit.config.ts runs them alone.
    include: ['**/test/**/*.test.ts', '**/test/**/*.test.tsx', 'bridge-server/src/**/*.spec.ts'],
    exclude: ['**/node_modules/**', '**/generated/**'],
    globalSetup: ['bridge-server/test/support/global-setup.ts'],
    pool: 'forks',
    // Two cores: two test files at a time keeps Postgres, ffmpeg and Chromium responsive.
    maxWorkers: 2,
    testTimeout: 60_000,
    // One more try for a test that failed: on a loaded 2-core machine a few multi-process
    // timing tests (revocation across processes) have timed out once in a full run.
    // A failure that repeats still fails the run.
    retry: 1,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
