import { StockroomError, type Version } from '@stockroom/shared-types';

/** The bytes of one version, from the bridge's download route (Bearer token, like uploads). */
export async function downloadVersion(serverUrl: string, token: string, version: Version): Promise<Uint8Array> {
  const url = new URL(version.contentUrl, serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`).toString();
  let response: Response;
  try {
    response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  } catch (error) {
    throw new StockroomError('DISCONNECTED', `Could not download ${version.originalName}.`, undefined, { cause: error });
  }
  if (!response.ok) {
    const code = response.status === 404 ? 'NOT_FOUND' : response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : 'INTERNAL';
    throw new StockroomError(code, `Downloading ${version.originalName} failed with HTTP ${response.status}.`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength !== version.size) {
    throw new StockroomError('CHECKSUM_MISMATCH', `Downloaded ${bytes.byteLength} of ${version.size} bytes of ${version.originalName}.`);
  }
  return bytes;
}
