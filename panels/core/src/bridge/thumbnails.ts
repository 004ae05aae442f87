/**
 * Loads thumbnails (the `thumbnail` derivative of a version, or `waveform` for sound) as
 * data: URLs: an <img> cannot send the Bearer token, and data URLs work in UXP as in
 * browsers. A version without one yet (404) shows the placeholder until
 * `derivative.ready` says it exists.
 */
const MAX_PARALLEL = 4;

/** The derivatives a card can show: still images the server makes for these families of files. */
export type ThumbnailPreset = 'thumbnail' | 'waveform';

export const AUDIO_EXTENSIONS = /\.(wav|mp3|ogg|oga|opus|flac|aac|m4a|aif|aiff)$/i;
export const VIDEO_EXTENSIONS = /\.(mp4|mov|m4v|webm|mkv|avi|mxf|mts)$/i;
const STILL_EXTENSIONS = /\.(png|jpe?g|gif|webp|tiff?|bmp|svg|heic|heif|avif|psd|psb|pdf|ai)$/i;

/**
 * Which derivative shows a file, following the server's presets (stills and video:
 * `thumbnail`; audio: `waveform`), or null when the server makes none (fonts, office
 * documents, empty files) — so the panel never asks for a thumbnail that cannot exist.
 */
export function thumbnailPresetFor(file: { originalName: string; mimeType: string; size: number }): ThumbnailPreset | null {
  if (file.size === 0) return null;
  const mime = file.mimeType.toLowerCase();
  if (AUDIO_EXTENSIONS.test(file.originalName) || mime.startsWith('audio/')) return 'waveform';
  if (VIDEO_EXTENSIONS.test(file.originalName) || STILL_EXTENSIONS.test(file.originalName)) return 'thumbnail';
  if (mime.startsWith('image/') || mime.startsWith('video/') || mime === 'application/pdf') return 'thumbnail';
  return null;
}

export function thumbnailPath(assetId: string, version: number, preset: ThumbnailPreset = 'thumbnail'): string {
  return `/api/assets/${assetId}/versions/${version}/derivatives/${preset}/content`;
}

export class ThumbnailLoader {
  private readonly known = new Map<string, string | null>();
  /** Waiting jobs; `shown` marks those queued for a page of results by `showFirst`. */
  private readonly queue: Array<{ key: string; path: string; shown?: true }> = [];
  private running = 0;

  constructor(
    private readonly server: () => { url: string; token: string },
    private readonly onLoaded: (key: string, url: string) => void,
  ) {}

  static key(assetId: string, version: number): string {
    return `${assetId}@${version}`;
  }

  /** Asks for a version's thumbnail once; the answer arrives through onLoaded. */
  request(assetId: string, version: number, path = thumbnailPath(assetId, version)): void {
    const key = ThumbnailLoader.key(assetId, version);
    if (this.known.has(key)) return;
    this.known.set(key, null);
    this.queue.push({ key, path });
    this.pump();
  }

  /**
   * A new page of results replaces the shown one: its thumbnails are asked for now, in its
   * order (the first row first), ahead of everything waiting — before the cards are even
   * drawn. Those still waiting for an earlier page that is gone are dropped (and asked for
   * again if their card comes back), so typing a query never leaves its first row queued
   * behind the thumbnails of every page seen on the way.
   */
  showFirst(items: Array<{ assetId: string; version: number; path: string }>): void {
    const keys = new Set(items.map((item) => ThumbnailLoader.key(item.assetId, item.version)));
    const waiting = new Set(this.queue.map((job) => job.key));
    const rest = this.queue.filter((job) => !keys.has(job.key) && !job.shown);
    for (const job of this.queue) if (job.shown && !keys.has(job.key)) this.known.delete(job.key);
    const first = items
      .map((item) => ({ key: ThumbnailLoader.key(item.assetId, item.version), path: item.path, shown: true as const }))
      .filter((job) => waiting.has(job.key) || !this.known.has(job.key));
    for (const job of first) this.known.set(job.key, null);
    this.queue.splice(0, this.queue.length, ...first, ...rest);
    this.pump();
  }

  /** A thumbnail became ready: load it even if it was missing before. */
  ready(assetId: string, version: number, path: string): void {
    this.known.delete(ThumbnailLoader.key(assetId, version));
    this.request(assetId, version, path);
  }

  private pump(): void {
    while (this.running < MAX_PARALLEL && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running++;
      void this.load(job.key, job.path).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async load(key: string, path: string): Promise<void> {
    const { url, token } = this.server();
    try {
      const response = await fetch(new URL(path, `${url}/`).toString(), { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) return;
      const type = response.headers.get('content-type') ?? 'image/webp';
      const bytes = new Uint8Array(await response.arrayBuffer());
      const dataUrl = `data:${type};base64,${toBase64(bytes)}`;
      this.known.set(key, dataUrl);
      this.onLoaded(key, dataUrl);
    } catch {
      // Offline or refused: the placeholder stays.
    }
  }
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
