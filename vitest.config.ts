import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/test/**/*.test.ts', '**/test/**/*.test.tsx'],
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
