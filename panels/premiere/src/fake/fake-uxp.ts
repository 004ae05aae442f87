/**
 * UXP's `uxp` and `fs` modules as Premiere's panel uses them, over the in-memory file
 * system the Photoshop fake keeps (native paths are stored as `file:` URLs). The folder
 * picker answers with `pickFolder` (null: the person cancelled).
 */
import { fakeSecureStorage, fakeShell, type CallLog, type FakeFileSystem } from '@stockroom/panel-photoshop/fake';
import type { UxpFs, UxpLocalFileSystem, UxpModule } from '../host/modules.ts';
import { fileUrl } from './fake-premiere.ts';

export interface FakeFolderPicker {
  /** The native path the next getFolder() picks, or null for "cancelled". */
  pickFolder: string | null;
}

export function fakePremiereUxp(
  files: FakeFileSystem,
  picker: FakeFolderPicker,
  secureBacking?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  version = '26.0.0',
): UxpModule {
  const log = files.log;
  const tokens = new Map<string, string>();
  const folderEntry = (nativePath: string) => ({ name: nativePath.substring(nativePath.lastIndexOf('/') + 1), nativePath, isFolder: true, isFile: false });
  const localFileSystem: UxpLocalFileSystem = {
    getFolder: async () => {
      log.record('uxp.localFileSystem.getFolder', [], picker.pickFolder);
      if (picker.pickFolder === null) return null;
      files.addFolder(fileUrl(picker.pickFolder));
      return folderEntry(picker.pickFolder) as never;
    },
    createPersistentToken: async (entry) => {
      const token = `persistent-${tokens.size + 1}`;
      tokens.set(token, entry.nativePath);
      log.record('uxp.localFileSystem.createPersistentToken', [entry.nativePath], token);
      return token;
    },
    getEntryForPersistentToken: async (token) => {
      log.record('uxp.localFileSystem.getEntryForPersistentToken', [token]);
      // Tokens survive a reload of the preview through the fake file system's backing.
      const path = tokens.get(token) ?? secureBacking?.getItem(`fake-persistent-token:${token}`) ?? null;
      if (!path) throw new Error('The persistent token is no longer valid');
      return folderEntry(path) as never;
    },
  };
  if (secureBacking) {
    const create = localFileSystem.createPersistentToken;
    localFileSystem.createPersistentToken = async (entry) => {
      const token = await create(entry);
      secureBacking.setItem(`fake-persistent-token:${token}`, entry.nativePath);
      return token;
    };
  }
  return {
    host: { version },
    storage: { localFileSystem, secureStorage: fakeSecureStorage(log, secureBacking) },
    shell: fakeShell(log),
  };
}

/** The fake file system's fs, with the copyFile that project check-in uses. */
export function fakePremiereFs(files: FakeFileSystem): UxpFs {
  return {
    ...files.fs,
    copyFile: async (from, to) => {
      files.log.record('fs.copyFile', [from, to]);
      const bytes = files.files.get(from);
      if (!bytes) throw new Error(`ENOENT: ${from}`);
      files.requireFolder(to);
      files.files.set(to, bytes.slice());
    },
  };
}
