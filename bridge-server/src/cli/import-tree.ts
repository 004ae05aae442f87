import { readdir } from 'node:fs/promises';
import path from 'node:path';
import mime from 'mime-types';
import type { Actor } from '../services/actor.ts';
import type { AssetsService } from '../services/assets.ts';
import { slugify, type CollectionsService } from '../services/collections.ts';
import type { LocalFilesService } from '../services/local-files.ts';

export type FolderMode = 'tags' | 'collections' | 'ignore';

export interface ImportOptions {
  root: string;
  /** Target collection (null: unfiled). */
  collectionId: string | null;
  /** What sub-folders become: tags on the asset, sub-collections, or nothing. */
  folders: FolderMode;
  concurrency: number;
  signal?: AbortSignal;
}

export interface ImportSummary {
  total: number;
  imported: number;
  skipped: number;
  failed: { file: string; error: string }[];
}

export interface ImportDeps {
  actor: Actor;
  assets: AssetsService;
  collections: CollectionsService;
  files: LocalFilesService;
}

/** Every regular file under `root`, sorted, hidden files and folders left out. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .filter(
      (file) =>
        !path
          .relative(root, file)
          .split(path.sep)
          .some((part) => part.startsWith('.')),
    )
    .sort();
}

/**
 * Imports a folder tree. Resumable by content: a file whose bytes are already in its target
 * collection is skipped, so an interrupted import is simply run again.
 */
export interface ImportProgress {
  onStart?(total: number): void;
  onFile?(file: string, outcome: 'imported' | 'skipped' | 'failed'): void;
}

export async function importTree(deps: ImportDeps, options: ImportOptions, progress: ImportProgress = {}): Promise<ImportSummary> {
  const files = await listFiles(options.root);
  progress.onStart?.(files.length);
  const summary: ImportSummary = { total: files.length, imported: 0, skipped: 0, failed: [] };
  const collectionOf = subCollections(deps, options.collectionId);
  let next = 0;
  const worker = async () => {
    while (next < files.length && !options.signal?.aborted) {
      const file = files[next++]!;
      const folders = path
        .relative(options.root, path.dirname(file))
        .split(path.sep)
        .filter((p) => p && p !== '.');
      let outcome: 'imported' | 'skipped' | 'failed';
      try {
        const collectionId = options.folders === 'collections' ? await collectionOf(folders) : options.collectionId;
        const known = await deps.files.hash(file);
        if (await deps.files.isInCollection(known.sha256, collectionId)) {
          outcome = 'skipped';
          summary.skipped += 1;
        } else {
          const uploadId = await deps.files.store(deps.actor.user.id, file, known, mime.lookup(file) || 'application/octet-stream');
          const tags = options.folders === 'tags' ? folders.map((f) => f.trim().toLowerCase().slice(0, 100)).filter(Boolean) : [];
          await deps.assets.create(deps.actor, { uploadId, collectionId, tags, comment: `Imported from ${path.relative(options.root, file)}` });
          outcome = 'imported';
          summary.imported += 1;
        }
      } catch (error) {
        outcome = 'failed';
        summary.failed.push({ file: path.relative(options.root, file), error: error instanceof Error ? error.message : String(error) });
      }
      progress.onFile?.(file, outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return summary;
}

/** Finds or creates the chain of sub-collections for a folder path; one creation per folder even with parallel files. */
function subCollections(deps: ImportDeps, rootId: string | null) {
  const cache = new Map<string, Promise<string | null>>();
  const resolve = (folders: string[]): Promise<string | null> => {
    if (folders.length === 0) return Promise.resolve(rootId);
    const key = folders.join('/');
    let found = cache.get(key);
    if (!found) {
      found = (async () => {
        const parentId = await resolve(folders.slice(0, -1));
        const name = folders.at(-1)!;
        const existing = (await deps.collections.list(deps.actor, parentId)).find((c) => c.name === name);
        if (existing) return existing.id;
        // Slugs are global: the folder path keeps two "Logos" folders apart.
        const created = await deps.collections.create(deps.actor, {
          name,
          parentId,
          slug: slugify(`${rootId ? rootId.slice(0, 8) : 'import'} ${key}`).slice(0, 100),
        });
        return created.id;
      })();
      cache.set(key, found);
      found.catch(() => cache.delete(key));
    }
    return found;
  };
  return resolve;
}
