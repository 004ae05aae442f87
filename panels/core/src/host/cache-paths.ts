/**
 * Layout of the local cache, shared by every host adapter:
 * `<root>/<assetId>/v<version>/<file name>`. The path alone tells which asset and
 * version a file (or a document opened from the cache) holds.
 */

const UNSAFE = /[\\/:*?"<>|\u0000-\u001f]+/g;

export function safeFileName(name: string): string {
  const cleaned = name.replace(UNSAFE, '_').replace(/^\.+/, '').trim();
  return cleaned.length > 0 ? cleaned.slice(0, 180) : 'asset';
}

export function cacheRelativePath(assetId: string, version: number, fileName: string): string {
  return `${assetId}/v${version}/${safeFileName(fileName)}`;
}

const CACHE_PATH = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v(\d+)\/[^/]+$/i;

/** Which asset@version a cached file holds, or null for a file from elsewhere. */
export function parseCachePath(path: string): { assetId: string; version: number } | null {
  const match = CACHE_PATH.exec(path.replaceAll('\\', '/'));
  if (!match?.[1] || !match[2]) return null;
  return { assetId: match[1].toLowerCase(), version: Number(match[2]) };
}
