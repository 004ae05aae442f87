// Generates the Prisma client into ./generated (run by `pnpm generate` and the set-up scripts).
import { runPrisma } from './prisma-cli.ts';

process.stdout.write(runPrisma(['generate', '--schema', 'schema.prisma', '--no-hints']));
