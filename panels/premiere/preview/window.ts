import type { PanelController } from '@stockroom/panels-core';
import type { CallLog, FakeFileSystem, FakePremiere } from '../src/fake/index.ts';
import type { PremiereHost } from '../src/host/premiere-host.ts';

/** What the preview page exposes for tests and for poking at it from the console. */
export interface PremierePreviewHandle {
  log: CallLog;
  files: FakeFileSystem;
  premiere: FakePremiere;
  host: PremiereHost;
  controller: PanelController;
  picker: { pickFolder: string | null };
  projectBytes(size: number): Uint8Array;
}

declare global {
  interface Window {
    stockroomPremiere: PremierePreviewHandle;
  }
}
