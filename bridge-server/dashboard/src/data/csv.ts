import { errorFromResponse } from './http-errors.ts';

/**
 * Downloads a file the server builds (the audit CSV: GET /api/audit/export.csv), with the
 * dashboard's session cookie. An error answer is thrown as the StockroomError it carries,
 * so the page can show it instead of saving an error body as the file.
 */
export async function downloadFromServer(url: string, fallbackName: string): Promise<void> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw await errorFromResponse(res);
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
