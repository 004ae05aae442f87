import type { Prisma, PrismaClient } from '@stockroom/prisma';

export type Db = PrismaClient;
export type Tx = Prisma.TransactionClient;

/** Postgres error codes we turn into product errors. */
export const PG_UNIQUE_VIOLATION = '23505';
