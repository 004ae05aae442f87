import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const PRISMA_DIR = path.join(import.meta.dirname, '..');

/**
 * Runs the Prisma CLI without letting it download native engines (unreachable
 * from our build machines): pointing these variables at any existing file makes
 * the CLI skip the download; generate and migrate diff never execute them.
 */
export function runPrisma(args: string[], env: Record<string, string> = {}): string {
  const placeholder = path.join(PRISMA_DIR, 'schema.prisma');
  const result = spawnSync(process.execPath, [path.join(PRISMA_DIR, 'node_modules', 'prisma', 'build', 'index.js'), ...args], {
    cwd: PRISMA_DIR,
    env: {
      ...process.env,
      PRISMA_QUERY_ENGINE_LIBRARY: placeholder,
      PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
      DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://unused@127.0.0.1:1/unused',
      ...env,
    },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`prisma ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}
