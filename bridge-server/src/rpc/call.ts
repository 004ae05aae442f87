import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { methods, StockroomError, type MethodName } from '@stockroom/shared-types';
import type { Logger } from '../logger.ts';
import type { CallContext, RegisteredMethod } from './registry.ts';

/** Validates params against the contract and runs the handler; every failure becomes a StockroomError. */
export async function invoke(entry: RegisteredMethod, ctx: CallContext, rawParams: unknown, logger: Logger): Promise<unknown> {
  const spec = methods[entry.name as MethodName];
  const parsed = (spec.params as z.ZodType).safeParse(rawParams ?? {});
  if (!parsed.success) throw validationError(entry.name, parsed.error);
  try {
    return await (entry.handler as (c: CallContext, p: unknown) => Promise<unknown>)(ctx, parsed.data);
  } catch (error) {
    throw toStockroomError(error, logger, { method: entry.name, userId: ctx.actor.user.id });
  }
}

export function validationError(method: string, error: z.ZodError): StockroomError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  return new StockroomError(
    'VALIDATION_FAILED',
    `The parameters of ${method} are not valid${first ? `: ${first.path || 'params'} — ${first.message}` : ''}. Fix them and send the request again.`,
    { issues },
  );
}

/** Unknown errors are logged with a reference and never leak internals to the caller. */
export function toStockroomError(error: unknown, logger: Logger, context: Record<string, unknown>): StockroomError {
  if (error instanceof StockroomError) return error;
  const reference = randomUUID();
  logger.error({ err: error, reference, ...context }, 'request failed');
  return new StockroomError(
    'INTERNAL',
    `Something went wrong on the server. Try again; if it keeps happening, give an administrator this reference: ${reference}.`,
    { reference },
  );
}
