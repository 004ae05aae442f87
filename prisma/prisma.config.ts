// Used only by `scripts/new-migration.ts`: with the JS engine and the pg adapter,
// `prisma migrate diff` runs on Prisma's bundled WebAssembly engine, no native download.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'schema.prisma'),
  async adapter() {
    const connectionString = process.env.MIGRATION_DATABASE_URL;
    if (!connectionString) throw new Error('MIGRATION_DATABASE_URL is not set; run scripts/new-migration.ts');
    return new PrismaPg({ connectionString });
  },
});
