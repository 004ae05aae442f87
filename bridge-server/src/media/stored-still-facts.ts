import { z } from 'zod';

/**
 * The few facts of a still image that making its thumbnail and preview needs (the format,
 * for vector density; alpha, for the output format), as the metadata job stored them with
 * the version. Checked on the way back: metadata of another shape is simply not reused.
 */
const storedStillFactsSchema = z.object({
  format: z.string(),
  hasAlpha: z.boolean(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

export type StoredStillFacts = z.infer<typeof storedStillFactsSchema>;

export function storedStillFacts(value: unknown): StoredStillFacts | null {
  const parsed = storedStillFactsSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
