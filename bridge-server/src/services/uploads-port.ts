import type { Actor } from './actor.ts';
import type { Tx } from '../repositories/db.ts';

export interface ConsumedUpload {
  blobSha256: string;
  size: number;
  fileName: string;
  mimeType: string;
}

/** What the asset and version services need from uploads: take a finished upload's bytes, once. */
export interface UploadConsumer {
  consume(tx: Tx, uploadId: string, actor: Actor): Promise<ConsumedUpload>;
}
