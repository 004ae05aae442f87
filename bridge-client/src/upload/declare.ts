import { StockroomError, UPLOAD_ERROR_HEADER, UPLOAD_SHA256_HEADER } from '@stockroom/shared-types';
import { throwIfAborted } from './abort.ts';
import { uploadErrorFromResponse } from './errors.ts';

export interface DeclareRequest {
  uploadUrl: string;
  size: number;
  sha256: string;
  token: () => string;
  retryDelays: number[];
  signal?: AbortSignal;
}

/**
 * Declares the SHA-256 of an upload whose bytes all arrived: an empty tus PATCH at the
 * end with the Stockroom-Sha256 header. The bridge verifies the bytes and stores them in
 * this request. Repeating it is safe (the bridge answers a repeated declaration as the
 * first), so a lost connection or a bridge answering 5xx is retried like tus-js-client's
 * requests; a refusal (CHECKSUM_MISMATCH, ...) is final.
 */
export async function declareSha256(request: DeclareRequest): Promise<void> {
  const { uploadUrl, size, sha256, signal } = request;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(signal);
    let response: Response | undefined;
    let failure: unknown;
    try {
      response = await fetch(uploadUrl, {
        method: 'PATCH',
        headers: {
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(size),
          'Content-Type': 'application/offset+octet-stream',
          [UPLOAD_SHA256_HEADER]: sha256,
          Authorization: `Bearer ${request.token()}`,
        },
        signal,
      });
    } catch (error) {
      throwIfAborted(signal);
      failure = error;
    }
    if (response && response.status < 300) return;
    if (response && response.status < 500) {
      throw uploadErrorFromResponse({
        status: response.status,
        errorHeader: response.headers.get(UPLOAD_ERROR_HEADER) ?? undefined,
        body: await response.text(),
      });
    }
    const delay = request.retryDelays[attempt];
    if (delay === undefined) {
      const reason = response ? `HTTP ${response.status}` : String((failure as Error)?.message ?? failure);
      throw new StockroomError(
        'DISCONNECTED',
        `Every byte arrived, but declaring the file's SHA-256 failed (${reason}). Call upload() again with the same file: it declares it without sending the bytes again.`,
        undefined,
        { cause: failure },
      );
    }
    await response?.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
