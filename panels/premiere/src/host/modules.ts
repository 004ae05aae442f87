/**
 * The parts of the host modules the adapter uses. Premiere's come straight from
 * `@adobe/premierepro` (a typings change breaks the build); UXP's typings leave
 * `localFileSystem` and the promise forms of `fs` untyped, so those are spelled out here.
 */
import type { premierepro } from '@adobe/premierepro';
import type { PieceWriteFs } from '@stockroom/panels-core/host';
import type { storage } from 'uxp';

export type PremiereModule = Pick<
  premierepro,
  | 'Project'
  | 'ProjectItem'
  | 'FolderItem'
  | 'ClipProjectItem'
  | 'ProjectSettings'
  | 'Markers'
  | 'Marker'
  | 'TickTime'
  | 'EventManager'
  | 'Constants'
  | 'OpenProjectOptions'
>;

export type { premierepro };
export type Project = Awaited<ReturnType<premierepro['Project']['getActiveProject']>>;
export type FolderItem = Awaited<ReturnType<Project['getRootItem']>>;
export type ProjectItem = Awaited<ReturnType<FolderItem['getItems']>>[number];
export type ClipProjectItem = ReturnType<premierepro['ClipProjectItem']['cast']>;

export interface UxpLocalFileSystem {
  getFolder(options?: { initialDomain?: unknown }): Promise<storage.Folder | null>;
  createPersistentToken(entry: storage.Entry): Promise<string>;
  getEntryForPersistentToken(token: string): Promise<storage.Entry>;
}

export interface UxpSecureStorage {
  getItem(key: string): Promise<Uint8Array | null | undefined>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

export interface UxpModule {
  host: { version: string };
  storage: { localFileSystem: UxpLocalFileSystem; secureStorage: UxpSecureStorage };
  /** Resolves with "" when it worked, otherwise with the error message. */
  shell: { openExternal(url: string, developerText: string): Promise<string> };
}

/** UXP's own `fs` module: paths are URLs (`plugin-data:/…`, `plugin-temp:/…`, `file:/…` with full access). */
export interface UxpFs extends PieceWriteFs {
  writeFile(path: string, data: ArrayBufferView | ArrayBuffer | string, options?: { encoding?: string }): Promise<unknown>;
  readFile(path: string, options?: { encoding?: string }): Promise<ArrayBuffer | string>;
  copyFile(from: string, to: string): Promise<unknown>;
}
