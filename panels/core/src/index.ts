export { PanelApp } from './ui/PanelApp.tsx';
export {
  PanelController,
  type CheckInConflict,
  type CheckInOutcome,
  type LockNotice,
  type PanelOptions,
  type PanelState,
  type PlacementStatus,
  type UploadProgress,
} from './state/panel-controller.ts';
export { DocumentOrigins, type DocumentOrigin, type DocumentRef, type OriginStorage } from './state/document-origins.ts';
export { lockNoticeFor } from './state/lock-notices.ts';
export { humanError } from './errors/human-error.ts';
export { formatAssetCount, formatCount } from './ui/format.ts';
export * from './host/index.ts';
export { applyLiveEvent, patchAsset } from './state/live-events.ts';
export { initialState } from './state/panel-state.ts';
export { ThumbnailLoader, thumbnailPath, toBase64 } from './bridge/thumbnails.ts';
export { Store } from './state/store.ts';
export { runDeviceSignIn, type DeviceSignInRun, type DeviceSignInState } from './state/device-sign-in.ts';
