import { hashSource, type BridgeClient, type CheckInRequest } from '@stockroom/bridge-client';
import type { Asset, MethodResult } from '@stockroom/shared-types';
import { isStockroomError, StockroomError } from '@stockroom/shared-types';
import type { CheckInConflict, PanelState, UploadProgress } from './panel-state.ts';
import type { Store } from './store.ts';

/** A file to check in, read by range (a saved document copy, a clip's media file). */
export interface CheckInSource {
  readonly size: number;
  readonly name: string;
  read(start: number, end: number): Promise<Uint8Array>;
}

export type ShowProgress = (patch: Partial<UploadProgress>) => void;

/** The upload status line of one check-in, kept in the panel's state while it runs. */
export function uploadProgress(store: Store<PanelState>, asset: Pick<Asset, 'id' | 'name'>, phase: UploadProgress['phase']) {
  const progress: UploadProgress = { assetId: asset.id, assetName: asset.name, phase, sent: 0, total: 0, resumedFrom: 0, attempts: 0 };
  const show: ShowProgress = (patch) => {
    Object.assign(progress, patch);
    store.set({ upload: { ...progress } });
  };
  return { progress, show };
}

/**
 * Hashes the file, then uploads it. A dropped connection (the server restarting, a
 * network blip) is waited out and the upload resumes where the server stopped.
 */
export async function hashAndUpload(
  bridge: BridgeClient,
  file: CheckInSource,
  upload: { fileName: string; mimeType: string },
  show: ShowProgress,
): Promise<{ uploadId: string; sha256: string }> {
  // upload() closes its source when it settles; the file must outlive a failed attempt.
  const source = { size: file.size, name: file.name, read: file.read };
  show({ phase: 'hashing', total: file.size });
  // Hashed once: every resumed attempt sends the same bytes under the same fingerprint.
  const sha256 = await hashSource(source, (hashed) => show({ sent: hashed }));
  for (let attempt = 1; ; attempt++) {
    show({ attempts: attempt });
    try {
      const result = await bridge.upload(source, {
        ...upload,
        sha256,
        onProgress: (sent, total) => show({ phase: attempt > 1 ? 'resuming' : 'uploading', sent, total }),
      });
      show({ resumedFrom: result.resumedFrom, sent: result.size });
      return { uploadId: result.uploadId, sha256 };
    } catch (error) {
      if (!isTransient(error) || attempt >= 30) throw error;
      show({ phase: 'resuming' });
      await delay(Math.min(1000 * attempt, 4000));
    }
  }
}

/**
 * assets.checkin, surviving a dropped connection: the answer may be lost although the
 * bridge made the version, so after reconnecting the head is looked at first (same
 * bytes, newer number: it went through) and the call is repeated only if it did not.
 */
export async function sendCheckIn(bridge: BridgeClient, before: Asset, request: CheckInRequest, sha256: string): Promise<MethodResult<'assets.checkin'>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bridge.checkIn(request, { timeoutMs: 60_000 });
    } catch (error) {
      if (!isTransient(error) || attempt >= 5) throw error;
      const now = await bridge.call('assets.get', { id: before.id }, { timeoutMs: 60_000 });
      if (now.head && now.headVersion > before.headVersion && now.head.sha256 === sha256) return { asset: now, version: now.head };
    }
  }
}

/** The refusals the conflict dialog explains: somebody else's version or lock came first. */
export function isConflict(error: unknown): error is StockroomError & { code: 'VERSION_CONFLICT' | 'ASSET_LOCKED' } {
  return isStockroomError(error) && (error.code === 'VERSION_CONFLICT' || error.code === 'ASSET_LOCKED');
}

/** What the conflict dialog shows: the asset as it is now, and the versions made since `startedFrom` (who, when, comment). */
export async function loadConflict(
  bridge: BridgeClient,
  refused: { assetId: string; documentId: string; startedFrom: number; code: 'VERSION_CONFLICT' | 'ASSET_LOCKED'; clipItemId?: string },
): Promise<{ asset: Asset; conflict: CheckInConflict }> {
  const [asset, { versions }] = await Promise.all([
    bridge.call('assets.get', { id: refused.assetId }),
    bridge.call('versions.list', { assetId: refused.assetId }),
  ]);
  const conflict: CheckInConflict = {
    assetId: asset.id,
    assetName: asset.name,
    documentId: refused.documentId,
    kind: refused.code === 'ASSET_LOCKED' && asset.lock ? 'locked' : 'changed',
    startedFrom: refused.startedFrom,
    headVersion: asset.headVersion,
    newer: versions.filter((v) => v.number > refused.startedFrom),
    lock: asset.lock,
    step: 'choose',
    ...(refused.clipItemId ? { clipItemId: refused.clipItemId } : {}),
  };
  return { asset, conflict };
}

/** The versions an override on top of `head` replaces, for a document that started from `startedFrom`. */
export function replacedVersions(startedFrom: number, head: number): number[] {
  return Array.from({ length: Math.max(0, head - startedFrom) }, (_, i) => startedFrom + 1 + i);
}

/**
 * Failures worth waiting out: the bridge unreachable or too slow, or a proxy in front
 * of it answering for it while it restarts (502/503/504).
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof StockroomError)) return false;
  if (error.code === 'DISCONNECTED' || error.code === 'TIMEOUT') return true;
  const status = error.data?.status;
  return status === 502 || status === 503 || status === 504;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
