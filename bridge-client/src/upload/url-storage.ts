import type { PreviousUpload, UrlStorage } from 'tus-js-client';
import { defaultOptions } from 'tus-js-client';

/**
 * Remembers upload URLs for the life of this process, so a retried upload() of the
 * same bytes resumes. Use a persistent storage (localStorage in browsers, a file in
 * Node: fileUrlStorage() from the node entry) to resume after a restart.
 */
export class MemoryUrlStorage implements UrlStorage {
  private readonly entries = new Map<string, PreviousUpload>();
  private counter = 0;

  findAllUploads(): Promise<PreviousUpload[]> {
    return Promise.resolve(this.matching('tus::'));
  }
  findUploadsByFingerprint(fingerprint: string): Promise<PreviousUpload[]> {
    return Promise.resolve(this.matching(`tus::${fingerprint}::`));
  }
  removeUpload(urlStorageKey: string): Promise<void> {
    this.entries.delete(urlStorageKey);
    return Promise.resolve();
  }
  addUpload(fingerprint: string, upload: PreviousUpload): Promise<string> {
    const key = `tus::${fingerprint}::${++this.counter}`;
    this.entries.set(key, { ...upload, urlStorageKey: key });
    return Promise.resolve(key);
  }
  private matching(prefix: string): PreviousUpload[] {
    return [...this.entries].filter(([key]) => key.startsWith(prefix)).map(([key, upload]) => ({ ...upload, urlStorageKey: key }));
  }
}

/** localStorage where the page may use it (browsers, UXP); process memory otherwise (Node, sandboxed iframes). */
export function defaultUrlStorage(): UrlStorage {
  try {
    // tus-js-client's browser build stores in localStorage by default; its Node build stores nothing.
    const page = globalThis as { localStorage?: unknown; window?: unknown };
    if (page.window !== undefined && page.localStorage !== undefined && page.localStorage !== null) {
      return defaultOptions.urlStorage;
    }
  } catch {
    // Reading localStorage throws in sandboxed iframes (the Figma plugin UI).
  }
  return new MemoryUrlStorage();
}
