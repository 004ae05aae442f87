import { z } from 'zod';
import { errorBodySchema } from './errors.ts';

/** Largest WebSocket frame the server accepts (bytes). Bigger ones close the socket with 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

export const requestIdSchema = z.union([z.number().int(), z.string().max(100)]);

export const requestFrameSchema = z.object({
  id: requestIdSchema,
  method: z.string().min(1).max(100),
  params: z.unknown().optional(),
});
export type RequestFrame = z.infer<typeof requestFrameSchema>;

export const responseFrameSchema = z.union([
  z.object({ id: requestIdSchema.nullable(), result: z.unknown() }),
  z.object({ id: requestIdSchema.nullable(), error: errorBodySchema }),
]);
export type ResponseFrame = { id: number | string | null; result: unknown } | { id: number | string | null; error: z.infer<typeof errorBodySchema> };

export const eventFrameSchema = z.object({ event: z.string(), data: z.unknown() });
export type EventFrame = z.infer<typeof eventFrameSchema>;
