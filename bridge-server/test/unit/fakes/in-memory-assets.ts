import { randomUUID } from 'node:crypto';
import type {
  AppendedVersion,
  AssetChanges,
  AssetFacts,
  AssetForVersion,
  AssetsRepository,
  NewAssetRow,
  NewVersionRow,
  PlainVersionRow,
  VersionWithPlace,
} from '../../../src/repositories/assets.ts';
import type { Tx } from '../../../src/repositories/db.ts';
import type { UserRecord } from '../../../src/repositories/people.ts';
import type { AssetRow, LockRow, VersionRow } from '../../../src/repositories/rows.ts';

interface StoredAsset extends Omit<AssetRow, 'createdBy' | 'lock' | 'versions'> {}
interface StoredLock {
  assetId: string;
  holderId: string;
  clientApp: string;
  createdAt: Date;
}

/**
 * Assets, versions and locks in memory, for the unit tier. It passes the same contract
 * (test/unit/contracts/assets-repository.contract.ts) as the Prisma repository, so the
 * services' specs run against the behaviour the database gives them. Rows are copied in
 * and out, as a database would, so a service cannot change stored state by mutating a row.
 */
export class InMemoryAssetsRepository implements AssetsRepository {
  readonly users = new Map<string, UserRecord>();
  readonly collections = new Set<string>();
  private readonly assets = new Map<string, StoredAsset>();
  private readonly versionRows: PlainVersionRow[] = [];
  private readonly locks = new Map<string, StoredLock>();

  addUser(user: Partial<UserRecord> & { id?: string; name: string }): UserRecord {
    const now = new Date();
    const row: UserRecord = {
      id: user.id ?? randomUUID(),
      email: user.email ?? `${user.name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
      name: user.name,
      role: user.role ?? 'member',
      passwordHash: null,
      disabledAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(row.id, row);
    return row;
  }

  addCollection(id: string = randomUUID()): string {
    this.collections.add(id);
    return id;
  }

  /** State for a transaction's rollback (see inMemoryDb). */
  snapshot(): () => void {
    const saved = structuredClone({ assets: [...this.assets], versions: this.versionRows, locks: [...this.locks] });
    return () => {
      this.assets.clear();
      for (const [k, v] of saved.assets) this.assets.set(k, v);
      this.versionRows.splice(0, this.versionRows.length, ...saved.versions);
      this.locks.clear();
      for (const [k, v] of saved.locks) this.locks.set(k, v);
    };
  }

  async lockRow(_tx: Tx, id: string): Promise<AssetFacts | null> {
    const a = this.assets.get(id);
    return a ? { id: a.id, collectionId: a.collectionId, headVersion: a.headVersion, deletedAt: a.deletedAt, createdById: a.createdById } : null;
  }

  async find(_tx: Tx, id: string): Promise<AssetRow | null> {
    return this.assets.has(id) ? this.row(id) : null;
  }

  async findMany(_tx: Tx, ids: string[]): Promise<AssetRow[]> {
    return ids.filter((id) => this.assets.has(id)).map((id) => this.row(id));
  }

  async place(_tx: Tx, id: string) {
    const a = this.assets.get(id);
    return a ? { collectionId: a.collectionId, deletedAt: a.deletedAt } : null;
  }

  async collectionExists(_tx: Tx, id: string): Promise<boolean> {
    return this.collections.has(id);
  }

  async create(_tx: Tx, row: NewAssetRow): Promise<AssetRow> {
    if (row.collectionId !== null && !this.collections.has(row.collectionId)) throw new Error('foreign key: collection');
    this.user(row.createdById);
    const now = new Date();
    const id = randomUUID();
    const { version, ...fields } = row;
    this.assets.set(id, {
      ...structuredClone(fields),
      id,
      headVersion: 1,
      metadata: structuredClone(fields.metadata) as StoredAsset['metadata'],
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    this.insertVersion(id, 1, version);
    return this.row(id);
  }

  async update(_tx: Tx, id: string, changes: AssetChanges): Promise<AssetRow> {
    const a = this.existing(id);
    const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
    this.assets.set(id, { ...a, ...structuredClone(defined), updatedAt: new Date() } as StoredAsset);
    return this.row(id);
  }

  async markDeleted(_tx: Tx, id: string, at: Date) {
    const a = this.existing(id);
    this.assets.set(id, { ...a, deletedAt: at, updatedAt: new Date() });
    return { collectionId: a.collectionId };
  }

  async lockForVersion(_tx: Tx, id: string): Promise<AssetForVersion | null> {
    if (!this.assets.has(id)) return null;
    const { createdBy, lock, versions: _head, ...asset } = this.row(id);
    return {
      ...asset,
      createdBy: { id: createdBy.id, name: createdBy.name, email: createdBy.email },
      lock: lock ? { ...lock, holder: { id: lock.holder.id, name: lock.holder.name, email: lock.holder.email } } : null,
    };
  }

  async appendVersion(_tx: Tx, assetId: string, row: NewVersionRow, options: { releaseLock: boolean }): Promise<AppendedVersion> {
    const a = this.existing(assetId);
    const at = new Date();
    this.assets.set(assetId, { ...a, headVersion: a.headVersion + 1, updatedAt: at });
    if (options.releaseLock) this.locks.delete(assetId);
    return { version: structuredClone(this.insertVersion(assetId, a.headVersion + 1, row, at)), assetUpdatedAt: at };
  }

  async version(_tx: Tx, assetId: string, number: number): Promise<PlainVersionRow | null> {
    const v = this.versionRows.find((r) => r.assetId === assetId && r.number === number);
    return v ? structuredClone(v) : null;
  }

  async versionWithPlace(_tx: Tx, assetId: string, number: number): Promise<VersionWithPlace | null> {
    const v = await this.version(_tx, assetId, number);
    const a = this.assets.get(assetId);
    return v && a ? { ...v, asset: { collectionId: a.collectionId, deletedAt: a.deletedAt } } : null;
  }

  async versions(_tx: Tx, assetId: string): Promise<VersionRow[]> {
    return this.versionRows
      .filter((v) => v.assetId === assetId)
      .sort((x, y) => y.number - x.number)
      .map((v) => ({ ...structuredClone(v), author: this.user(v.authorId) }));
  }

  async lock(_tx: Tx, assetId: string): Promise<LockRow | null> {
    const lock = this.locks.get(assetId);
    return lock ? { ...lock, holder: this.user(lock.holderId) } : null;
  }

  async insertLock(_tx: Tx, lock: { assetId: string; holderId: string; clientApp: string }): Promise<boolean> {
    this.existing(lock.assetId);
    this.user(lock.holderId);
    if (this.locks.has(lock.assetId)) return false;
    this.locks.set(lock.assetId, { ...lock, createdAt: new Date() });
    return true;
  }

  async deleteLock(_tx: Tx, assetId: string): Promise<void> {
    // Prisma's delete throws on a missing row: so does this.
    if (!this.locks.delete(assetId)) throw new Error(`no lock on ${assetId} to delete`);
  }

  private insertVersion(assetId: string, number: number, row: NewVersionRow, at = new Date()): PlainVersionRow {
    this.user(row.authorId);
    if (this.versionRows.some((v) => v.assetId === assetId && v.number === number)) throw new Error('unique violation: (assetId, number)');
    const version: PlainVersionRow = { ...row, id: randomUUID(), assetId, number, size: BigInt(row.size), metadata: {}, createdAt: at };
    this.versionRows.push(version);
    return version;
  }

  private row(id: string): AssetRow {
    const a = structuredClone(this.existing(id));
    const head = this.versionRows.filter((v) => v.assetId === id).sort((x, y) => y.number - x.number)[0];
    const lock = this.locks.get(id);
    return {
      ...a,
      createdBy: this.user(a.createdById),
      lock: lock ? { ...lock, holder: this.user(lock.holderId) } : null,
      versions: head ? [{ ...structuredClone(head), author: this.user(head.authorId) }] : [],
    };
  }

  private existing(id: string): StoredAsset {
    const a = this.assets.get(id);
    if (!a) throw new Error(`no asset ${id}`);
    return a;
  }

  private user(id: string): UserRecord {
    const u = this.users.get(id);
    if (!u) throw new Error(`foreign key: no user ${id}`);
    return structuredClone(u);
  }
}
