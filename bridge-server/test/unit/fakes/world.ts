import { createHash } from 'node:crypto';
import { StockroomError, type CollectionRole } from '@stockroom/shared-types';
import type { NewAuditRow } from '../../../src/repositories/audit.ts';
import { AccessPolicy } from '../../../src/services/access.ts';
import type { Actor } from '../../../src/services/actor.ts';
import { AssetsService } from '../../../src/services/assets.ts';
import { ChangeRecorder, type OutgoingEvent } from '../../../src/services/change-recorder.ts';
import { LocksService } from '../../../src/services/locks.ts';
import type { ConsumedUpload, UploadConsumer } from '../../../src/services/uploads-port.ts';
import { VersionsService } from '../../../src/services/versions.ts';
import { InMemoryAssetsRepository } from './in-memory-assets.ts';
import { inMemoryDb, type Transactional } from './in-memory-db.ts';

/** Finished uploads in memory: each used once, by its owner (what UploadsService.consume promises). */
export class InMemoryUploads implements UploadConsumer, Transactional {
  private readonly uploads = new Map<string, { userId: string; bytes: ConsumedUpload; consumed: boolean }>();

  add(userId: string, fileName = 'file.png', content = fileName): string {
    const id = `upload-${this.uploads.size + 1}`;
    const sha = createHash('sha256').update(content).digest('hex');
    this.uploads.set(id, { userId, consumed: false, bytes: { blobSha256: sha, size: content.length, fileName, mimeType: 'image/png' } });
    return id;
  }

  async consume(_tx: unknown, uploadId: string, actor: Actor): Promise<ConsumedUpload> {
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.userId !== actor.user.id) throw new StockroomError('NOT_FOUND', 'no such upload', { uploadId });
    if (upload.consumed) throw new StockroomError('CONFLICT', 'used already', { uploadId });
    upload.consumed = true;
    return upload.bytes;
  }

  snapshot(): () => void {
    const saved = new Map([...this.uploads].map(([k, v]) => [k, { ...v }]));
    return () => {
      this.uploads.clear();
      for (const [k, v] of saved) this.uploads.set(k, v);
    };
  }
}

/** The asset services over in-memory repositories, with what they recorded (audit rows and events, committed only). */
export function assetWorld() {
  const repo = new InMemoryAssetsRepository();
  const uploads = new InMemoryUploads();
  const audit: NewAuditRow[] = [];
  const events: OutgoingEvent[] = [];
  // Recorded rows count once their transaction commits; a rollback drops them (see inMemoryDb).
  const recorded: Transactional = {
    snapshot: () => {
      const a = audit.length;
      const e = events.length;
      return () => {
        audit.splice(a);
        events.splice(e);
      };
    },
  };
  const changes = new ChangeRecorder({
    insertAudit: async (_tx, row) => void audit.push(row),
    insertEvents: async (_tx, rows) => void events.push(...(rows as OutgoingEvent[])),
  });
  const db = inMemoryDb(repo, uploads, recorded);
  const access = new AccessPolicy();
  const assets = new AssetsService(db, repo, access, changes, uploads);
  const locks = new LocksService(db, repo, access, changes);
  const versions = new VersionsService(db, repo, access, changes, uploads);

  const actor = (name: string, options: { role?: 'admin' | 'member'; grants?: Record<string, CollectionRole>; scopes?: string[] } = {}): Actor => {
    const user = repo.addUser({ name, role: options.role ?? 'member' });
    return {
      user: { id: user.id, name: user.name, email: user.email, role: user.role },
      clientApp: 'photoshop',
      grants: new Map(Object.entries(options.grants ?? {})),
      ...(options.scopes ? { scopes: options.scopes } : {}),
    };
  };
  const createAsset = async (by: Actor, collectionId: string | null = null) =>
    assets.create(by, { uploadId: uploads.add(by.user.id, 'first.png'), name: 'Poster', collectionId });
  const eventNames = () => events.map((e) => e.event);
  return { repo, uploads, audit, events, eventNames, access, assets, locks, versions, actor, createAsset };
}

/** The error a promise rejects with, for asserting its code and data. */
export async function failure(promise: Promise<unknown>): Promise<StockroomError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StockroomError) return error;
    throw error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}
