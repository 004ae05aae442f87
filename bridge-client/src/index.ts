export { BridgeClient } from './client.ts';
export type {
  BridgeClientOptions,
  CallableMethod,
  CallOptions,
  ClientInfoInput,
  ConnectionState,
  HelloResult,
} from './client.ts';
export { checkInParams, type CheckInBasis, type CheckInRequest } from './checkin.ts';
export { backoffDelay, DEFAULT_RECONNECT, type ReconnectOptions } from './backoff.ts';
export { parseFrame, encodeRequest, type IncomingFrame } from './frames.ts';
export type { WebSocketConstructor, WebSocketLike } from './websocket.ts';
export { DEFAULT_CHUNK_BYTES, type UploadOptions, type UploadResult } from './upload/upload.ts';
export { blobSource, bytesSource, type UploadInput, type UploadSource } from './upload/source.ts';
export { hashSource } from './upload/sha256.ts';
export { createIncrementalSha256, type IncrementalSha256, type Sha256Engine } from './incremental-sha256.ts';
export { MemoryUrlStorage } from './upload/url-storage.ts';
export { uploadErrorFromResponse } from './upload/errors.ts';
export { StockroomError, isStockroomError, type ErrorCode } from '@stockroom/shared-types';
export {
  DeviceSignInError,
  pollDeviceToken,
  requestDeviceCode,
  waitForDeviceToken,
  type DeviceCodeResponse,
  type DeviceFlowOptions,
  type DevicePoll,
  type DeviceSignInFailure,
  type DeviceTokenResponse,
  type WaitForDeviceTokenOptions,
} from './device-sign-in.ts';
