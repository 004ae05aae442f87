import type { PanelController } from '@stockroom/panels-core';
import type { CallLog, FakeFileSystem, FakePhotoshop } from '../src/fake/index.ts';
import type { PhotoshopHost } from '../src/host/photoshop-host.ts';

/** What the preview page exposes for tests and for poking at it from the console. */
export interface PreviewHandle {
  log: CallLog;
  files: FakeFileSystem;
  photoshop: FakePhotoshop;
  host: PhotoshopHost;
  controller: PanelController;
  documentBytes(size: number): Uint8Array;
}

declare global {
  interface Window {
    stockroomPreview: PreviewHandle;
  }
}
