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
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
