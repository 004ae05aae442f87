/**
 * The parts of the host modules the adapter uses. Photoshop's come straight from
 * `@types/photoshop`; UXP's typings leave `localFileSystem` and the promise forms of
 * `fs` untyped, so those are spelled out here over the official `storage` classes.
 */
import type { action, app, core } from 'photoshop';
import type { storage } from 'uxp';

type PhotoshopApp = typeof app;
export type PhotoshopDocument = PhotoshopApp['activeDocument'];

export interface PhotoshopModule {
  app: Pick<PhotoshopApp, 'activeDocument' | 'open' | 'showAlert'>;
  action: Pick<typeof action, 'batchPlay'>;
  core: Pick<typeof core, 'executeAsModal'>;
}

export interface UxpLocalFileSystem {
  getEntryWithUrl(url: string): Promise<storage.Entry>;
  createEntryWithUrl(url: string, options?: { overwrite?: boolean }): Promise<storage.File>;
  createSessionToken(entry: storage.Entry): string;
}

export interface UxpSecureStorage {
  getItem(key: string): Promise<Uint8Array | null | undefined>;
  setItem(key: string, value: string): Promise<void>;
  removeItem(key: string): Promise<void>;
}

/** `require('uxp').shell`: resolves with "" when it worked, otherwise with the error message. */
export interface UxpShell {
  openExternal(url: string, developerText: string): Promise<string>;
}

export interface UxpModule {
  host: { version: string };
  storage: { localFileSystem: UxpLocalFileSystem; secureStorage: UxpSecureStorage };
  shell: UxpShell;
}

/** UXP's own `fs` module (not Node's): paths are URLs such as `plugin-data:/cache/...`. */
export interface UxpFs {
  mkdir(path: string, options: { recursive: boolean }): Promise<unknown>;
  writeFile(path: string, data: ArrayBufferView | ArrayBuffer | string, options?: { encoding?: string }): Promise<unknown>;
  readFile(path: string, options?: { encoding?: string }): Promise<ArrayBuffer | string>;
  open(path: string, flag: string): Promise<number>;
  read(fd: number, buffer: ArrayBuffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  close(fd: number): Promise<unknown>;
  lstat(path: string): Promise<{ size: number }>;
  write(fd: number, buffer: ArrayBuffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  rename(from: string, to: string): Promise<unknown>;
  unlink(path: string): Promise<unknown>;
}
