import { errorBodySchema, StockroomError } from '@stockroom/shared-types';

/** Turns an HTTP error answer into the StockroomError it carries (or a generic one). */
export async function errorFromResponse(res: Response): Promise<StockroomError> {
  const text = await res.text().catch(() => '');
  try {
    const json = JSON.parse(text) as { error?: unknown };
    const body = errorBodySchema.safeParse(json.error ?? json);
    if (body.success) return new StockroomError(body.data.code, body.data.message, body.data.data);
  } catch {
    /* not JSON */
  }
  return new StockroomError('INTERNAL', `The server answered ${res.status} ${res.statusText}. Try again in a moment.`);
}
