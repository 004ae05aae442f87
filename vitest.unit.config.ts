import { defineConfig } from 'vitest/config';

/**
 * The unit tier: service specs beside the services and the in-memory repositories'
 * contract run, with no server, no PostgreSQL and no S3 (no global setup). `pnpm test:unit`.
 */
export default defineConfig({
  test: {
    include: ['bridge-server/src/**/*.spec.ts', 'bridge-server/test/unit/**/*.test.ts', 'bridge-server/test/architecture/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/generated/**'],
    pool: 'threads',
    reporters: ['default'],
  },
});
