import { parseCachePath } from '../host/cache-paths.ts';
import type { ActiveDocument, PlacedItem } from '../host/types.ts';

/**
 * Which asset version an open document came from — what its next check-in is made
 * against. Never the head the panel happens to know now: checking in against that would
 * silently replace whatever somebody checked in since the document was opened.
 */
export interface DocumentOrigin {
  assetId: string;
  version: number;
  /**
   * How the panel knows: `download` (it downloaded and opened that version), `cache`
   * (the document is a cached file, whose path names asset and version), `placement`
   * (a placed item records its version), `checkin` (the document became that version by
   * checking it in).
   */
  source: 'download' | 'cache' | 'placement' | 'checkin';
}

/** Where the origins are kept; localStorage in UXP and browsers (it survives a panel reload). */
export type OriginStorage = Pick<Storage, 'getItem' | 'setItem'>;

const KEY = 'stockroom.documentOrigins';
/** Documents remembered at most (the oldest are forgotten first). */
const MAX_DOCUMENTS = 200;

interface Remembered extends DocumentOrigin {
  at: number;
  instance?: string;
}

/** Which document: the host's id, and this opening of it where the host can tell. */
export type DocumentRef = Pick<ActiveDocument, 'id' | 'instance'>;

/**
 * The panel's record of where each open document came from, by the host's document
 * id, kept in storage so that a reloaded panel still knows. Host-independent: every
 * panel (Photoshop, Premiere) keeps its bookkeeping here.
 */
export class DocumentOrigins {
  private memory: Record<string, Remembered> | null = null;

  constructor(private readonly storage: OriginStorage | null = null) {}

  /** Remembers that the document now holds asset@version (after a download, a check-in, ...). */
  remember(document: DocumentRef, origin: DocumentOrigin): void {
    const all = this.load();
    all[document.id] = { ...origin, at: Date.now(), ...(document.instance ? { instance: document.instance } : {}) };
    const ids = Object.keys(all);
    if (ids.length > MAX_DOCUMENTS) {
      for (const id of ids.sort((a, b) => all[a]!.at - all[b]!.at).slice(0, ids.length - MAX_DOCUMENTS)) delete all[id];
    }
    this.save(all);
  }

  forget(documentId: string): void {
    const all = this.load();
    delete all[documentId];
    this.save(all);
  }

  /**
   * Where the document came from: what the panel wrote down for it (a download or a
   * check-in, which is newer than any path), else what its cache path names, else null
   * (a document from elsewhere). A record of an earlier opening of the same file is not
   * used: a document closed and opened again holds what its file holds, and the path
   * (older) errs towards a conflict dialog, never towards replacing a newer version.
   */
  resolve(document: Pick<ActiveDocument, 'id' | 'path' | 'instance'>): DocumentOrigin | null {
    const remembered = this.load()[document.id];
    const sameOpening = !remembered?.instance || !document.instance || remembered.instance === document.instance;
    if (remembered && sameOpening) return { assetId: remembered.assetId, version: remembered.version, source: remembered.source };
    const fromPath = document.path ? parseCachePath(document.path) : null;
    return fromPath ? { ...fromPath, source: 'cache' } : null;
  }

  /** The origin of a placed item (a clip or a smart object), which records its own version. */
  static ofPlacement(item: Pick<PlacedItem, 'assetId' | 'version'>): DocumentOrigin {
    return { assetId: item.assetId, version: item.version, source: 'placement' };
  }

  private load(): Record<string, Remembered> {
    // Read each time: another panel of the same app may have written since.
    if (!this.storage) return (this.memory ??= {});
    let parsed: Record<string, Remembered> = {};
    try {
      const text = this.storage?.getItem(KEY);
      if (text) parsed = sanitise(JSON.parse(text));
    } catch {
      // Unreadable bookkeeping is ignored: origins fall back to cache paths.
    }
    return parsed;
  }

  private save(all: Record<string, Remembered>): void {
    this.memory = all;
    try {
      this.storage?.setItem(KEY, JSON.stringify(all));
    } catch {
      // A full or unavailable storage keeps the origins for this session only.
    }
  }
}

function sanitise(value: unknown): Record<string, Remembered> {
  if (!value || typeof value !== 'object') return {};
  const out: Record<string, Remembered> = {};
  for (const [id, entry] of Object.entries(value as Record<string, Partial<Remembered>>)) {
    if (typeof entry?.assetId === 'string' && Number.isInteger(entry.version) && (entry.version ?? -1) >= 0) {
      const source = entry.source === 'download' || entry.source === 'placement' || entry.source === 'checkin' ? entry.source : 'cache';
      out[id] = {
        assetId: entry.assetId,
        version: entry.version!,
        source,
        at: typeof entry.at === 'number' ? entry.at : 0,
        ...(typeof entry.instance === 'string' ? { instance: entry.instance } : {}),
      };
    }
  }
  return out;
}
