/**
 * An in-memory stand-in for UXP's `uxp` and `fs` modules, for tests and the browser
 * preview (UXP itself only runs inside Photoshop). Paths are UXP URLs such as
 * `plugin-data:/cache/...`; every call is appended to the shared call log.
 */
import type { UxpFs, UxpLocalFileSystem, UxpModule, UxpSecureStorage, UxpShell } from '../host/modules.ts';
import type { CallLog } from './call-log.ts';

export interface FakeEntry {
  url: string;
  name: string;
  nativePath: string;
  isFile: boolean;
  isFolder: boolean;
}

export class FakeFileSystem {
  readonly files = new Map<string, Uint8Array>();
  private readonly folders = new Set<string>();
  private readonly tokens = new Map<string, string>();
  private readonly descriptors = new Map<number, string>();
  private readonly capacity = new Map<string, Uint8Array>();
  private nextToken = 1;
  private nextFd = 3;

  constructor(readonly log: CallLog) {}

  /** The path a session token was made for (what Photoshop would open). */
  pathForToken(token: string): string | undefined {
    return this.tokens.get(token);
  }

  addFolder(path: string, recursive = true): void {
    const parent = path.substring(0, path.lastIndexOf('/'));
    if (recursive && parent && !/^[a-z-]+:$/.test(parent) && !this.folders.has(parent)) this.addFolder(parent, true);
    this.folders.add(path);
  }

  /** Like a real disk: a file can only be made inside a folder that exists. */
  requireFolder(path: string): void {
    const folder = path.substring(0, path.lastIndexOf('/'));
    if (!this.folders.has(folder)) throw new Error(`ENOENT: no folder ${folder}`);
  }

  entry(url: string): FakeEntry {
    const name = url.substring(url.lastIndexOf('/') + 1);
    const isFile = this.files.has(url);
    return { url, name, nativePath: url.replace(/^[a-z-]+:\//, '/fake/'), isFile, isFolder: !isFile };
  }

  readonly localFileSystem: UxpLocalFileSystem = {
    getEntryWithUrl: async (url) => {
      this.log.record('uxp.localFileSystem.getEntryWithUrl', [url]);
      if (!this.files.has(url) && !this.folders.has(url)) throw new Error(`Could not find an entry at ${url}`);
      return this.entry(url) as never;
    },
    createEntryWithUrl: async (url, options) => {
      this.log.record('uxp.localFileSystem.createEntryWithUrl', [url, options]);
      if (this.files.has(url) && !options?.overwrite) throw new Error(`${url} exists`);
      this.files.set(url, this.files.get(url) ?? new Uint8Array());
      return this.entry(url) as never;
    },
    createSessionToken: (entry) => {
      const url = (entry as unknown as FakeEntry).url;
      const token = `session-token-${this.nextToken++}`;
      this.tokens.set(token, url);
      this.log.record('uxp.localFileSystem.createSessionToken', [url], token);
      return token;
    },
  };

  readonly fs: UxpFs = {
    mkdir: async (path, options) => {
      this.log.record('fs.mkdir', [path, options]);
      this.addFolder(path, options?.recursive === true);
    },
    writeFile: async (path, data) => {
      this.log.record('fs.writeFile', [path, typeof data === 'string' ? data.length : data.byteLength]);
      const bytes =
        typeof data === 'string'
          ? new TextEncoder().encode(data)
          : data instanceof ArrayBuffer
            ? new Uint8Array(data.slice(0))
            : new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
      this.files.set(path, bytes);
      this.capacity.delete(path);
      return bytes.byteLength;
    },
    readFile: async (path, options) => {
      this.log.record('fs.readFile', [path, options]);
      const bytes = this.files.get(path);
      if (!bytes) throw new Error(`ENOENT: ${path}`);
      return options?.encoding ? new TextDecoder().decode(bytes) : bytes.slice().buffer;
    },
    open: async (path, flag) => {
      this.log.record('fs.open', [path, flag]);
      if (!this.files.has(path)) {
        if (!/^[wa]/.test(flag)) throw new Error(`ENOENT: ${path}`);
        this.requireFolder(path);
        this.files.set(path, new Uint8Array());
      }
      if (flag.startsWith('w')) this.files.set(path, new Uint8Array());
      const fd = this.nextFd++;
      this.descriptors.set(fd, path);
      return fd;
    },
    read: async (fd, buffer, offset, length, position) => {
      const bytes = this.files.get(this.descriptors.get(fd) ?? '');
      if (!bytes) throw new Error('EBADF');
      const slice = bytes.subarray(position, Math.min(position + length, bytes.byteLength));
      new Uint8Array(buffer, offset, slice.byteLength).set(slice);
      return { bytesRead: slice.byteLength };
    },
    write: async (fd, buffer, offset, length, position) => {
      const path = this.descriptors.get(fd) ?? '';
      const bytes = this.files.get(path);
      if (!bytes) throw new Error('EBADF');
      this.log.record('fs.write', [path, length, position]);
      const end = position + length;
      // Grows like a file on disk: by doubling, so appending piece by piece stays linear.
      let store = this.capacity.get(path) ?? bytes;
      if (end > store.byteLength) {
        const grown = new Uint8Array(Math.max(end, store.byteLength * 2));
        grown.set(bytes);
        store = grown;
        this.capacity.set(path, store);
      }
      store.set(new Uint8Array(buffer, offset, length), position);
      this.files.set(path, store.subarray(0, Math.max(bytes.byteLength, end)));
      return { bytesWritten: length };
    },
    rename: async (from, to) => {
      this.log.record('fs.rename', [from, to]);
      const bytes = this.files.get(from);
      if (!bytes) throw new Error(`ENOENT: ${from}`);
      this.files.delete(from);
      this.capacity.delete(from);
      this.files.set(to, bytes);
    },
    unlink: async (path) => {
      this.log.record('fs.unlink', [path]);
      if (!this.files.delete(path)) throw new Error(`ENOENT: ${path}`);
      this.capacity.delete(path);
    },
    close: async (fd) => {
      this.log.record('fs.close', [fd]);
      this.descriptors.delete(fd);
    },
    lstat: async (path) => {
      this.log.record('fs.lstat', [path]);
      const bytes = this.files.get(path);
      if (!bytes) throw new Error(`ENOENT: ${path}`);
      return { size: bytes.byteLength };
    },
  };
}

/** secureStorage keeps bytes; a browser preview can back it with localStorage to survive reloads. */
export function fakeSecureStorage(log: CallLog, backing?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): UxpSecureStorage {
  const memory = new Map<string, string>();
  const prefix = 'fake-secure-storage:';
  return {
    async getItem(key) {
      log.record('uxp.secureStorage.getItem', [key]);
      const value = backing ? backing.getItem(prefix + key) : memory.get(key);
      return value == null ? null : new TextEncoder().encode(value);
    },
    async setItem(key, value) {
      log.record('uxp.secureStorage.setItem', [key, '(secret)']);
      if (backing) backing.setItem(prefix + key, value);
      else memory.set(key, value);
    },
    async removeItem(key) {
      log.record('uxp.secureStorage.removeItem', [key]);
      if (backing) backing.removeItem(prefix + key);
      else memory.delete(key);
    },
  };
}

export function fakeUxpModule(files: FakeFileSystem, secureStorage: UxpSecureStorage, version = '8.0.0'): UxpModule {
  return { host: { version }, storage: { localFileSystem: files.localFileSystem, secureStorage }, shell: fakeShell(files.log) };
}

/** Records what would open in the system browser (tests open it in a second browser themselves). */
export function fakeShell(log: CallLog): UxpShell {
  return {
    async openExternal(url, developerText) {
      log.record('uxp.shell.openExternal', [url, developerText]);
      return '';
    },
  };
}
