import { createHash, randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { StockroomError, type MethodParsedParams, type ShareAccess, type ShareLink } from '@stockroom/shared-types';
import { shareLinksRepository as repo, type ShareLinkRow, type ShareUsage } from '../repositories/share-links.ts';
import type { AccessPolicy } from './access.ts';
import type { Actor } from './actor.ts';
import { notFound } from './assets.ts';
import type { ChangeRecorder } from './change-recorder.ts';
import { assetAccessFacts } from '../repositories/assets.ts';
import { collectionRows } from '../repositories/collections.ts';
import type { Db } from '../repositories/db.ts';

// argon2id with OWASP's recommended minimum cost, as for account passwords.
export const SHARE_ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const SECRET_PREFIX = 'sh_';

export const hashShareSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
/** The path of a link's public page. */
export const sharePath = (secret: string) => `/s/${secret}`;

/**
 * Share links: an asset or a collection shown to people without an account, until the link
 * expires or is revoked. Editors of the collection (for an unfiled asset: its creator)
 * create them; they, the link's creator and administrators see, revoke and audit them.
 * Only the secret's SHA-256 is stored: the address is shown once, like an API token.
 */
export class SharesService {
  constructor(
    private readonly db: Db,
    private readonly access: AccessPolicy,
    private readonly changes: ChangeRecorder,
    private readonly publicUrl: string | undefined,
  ) {}

  async create(actor: Actor, params: MethodParsedParams<'shares.create'>): Promise<{ link: ShareLink; url: string; secret: string }> {
    const target = params.target;
    let name: string;
    if (target.kind === 'asset') {
      const asset = await assetAccessFacts(this.db, target.assetId);
      if (!asset || asset.deletedAt) throw notFound(target.assetId);
      this.access.assert(actor, 'asset.share', { collectionId: asset.collectionId, createdById: asset.createdById });
      name = asset.name;
    } else {
      const collection = await collectionRows.find(this.db, target.collectionId);
      if (!collection) throw new StockroomError('NOT_FOUND', 'No such collection. List the collections to pick one.', { collectionId: target.collectionId });
      this.access.assert(actor, 'asset.share', { collectionId: target.collectionId });
      name = collection.name;
    }
    const secret = SECRET_PREFIX + randomBytes(24).toString('base64url');
    const passwordHash = params.password ? await hash(params.password, SHARE_ARGON2) : null;
    const expiresAt = params.expiresInDays ? new Date(Date.now() + params.expiresInDays * 86_400_000) : null;
    const link = await this.db.$transaction(async (tx) => {
      const row = await repo.create(tx, {
        secretHash: hashShareSecret(secret),
        prefix: secret.slice(0, SECRET_PREFIX.length + 4),
        name: params.name ?? name,
        assetId: target.kind === 'asset' ? target.assetId : null,
        collectionId: target.kind === 'collection' ? target.collectionId : null,
        createdById: actor.user.id,
        expiresAt,
        passwordHash,
        allowDownload: params.allowDownload,
        allowComments: params.allowComments,
      });
      await this.changes.record(
        tx,
        actor,
        {
          action: 'share.create',
          targetType: target.kind,
          targetId: target.kind === 'asset' ? target.assetId : target.collectionId,
          data: {
            shareId: row.id,
            expiresAt: expiresAt?.toISOString() ?? null,
            password: passwordHash !== null,
            allowDownload: params.allowDownload,
            allowComments: params.allowComments,
          },
        },
        [],
      );
      return row;
    });
    const [dto] = await this.toDtos([link]);
    return { link: dto!, url: `${this.publicUrl?.replace(/\/$/, '') ?? ''}${sharePath(secret)}`, secret };
  }

  async list(actor: Actor, params: MethodParsedParams<'shares.list'>): Promise<ShareLink[]> {
    const rows = await repo.list(
      this.db,
      {
        ...(params.assetId ? { assetId: params.assetId } : {}),
        ...(params.collectionId ? { collectionId: params.collectionId } : {}),
        ...(params.includeRevoked ? {} : { revokedAt: null }),
        ...(actor.user.role === 'admin' ? {} : { OR: this.manageableWhere(actor) }),
      },
      500,
    );
    return this.toDtos(rows.filter((row) => this.mayManage(actor, row)));
  }

  async revoke(actor: Actor, id: string): Promise<ShareLink> {
    const row = await this.managed(actor, id);
    // token.manage stands for "may change what is the caller's own": a read-only token may not.
    if (!this.access.can(actor, 'token.manage')) this.access.assert(actor, 'asset.share', {});
    const revoked = await this.db.$transaction(async (tx) => {
      const updated = row.revokedAt ? row : await repo.revoke(tx, id);
      await this.changes.record(tx, actor, { action: 'share.revoke', targetType: 'share', targetId: id, data: { name: row.name } }, []);
      return updated;
    });
    return (await this.toDtos([revoked]))[0]!;
  }

  async usage(actor: Actor, params: MethodParsedParams<'shares.usage'>): Promise<{ link: ShareLink; accesses: ShareAccess[] }> {
    const row = await this.managed(actor, params.id);
    const accesses = await repo.accesses(this.db, row.id, params.limit);
    return {
      link: (await this.toDtos([row]))[0]!,
      accesses: accesses.map((a) => ({
        at: a.createdAt.toISOString(),
        kind: a.kind as ShareAccess['kind'],
        ip: a.ip,
        userAgent: a.userAgent,
        detail: a.detail,
      })),
    };
  }

  private async managed(actor: Actor, id: string): Promise<ShareLinkRow> {
    const row = await repo.byId(this.db, id);
    const missing = new StockroomError('NOT_FOUND', 'No such share link. List the share links to pick one.', { id });
    if (!row) throw missing;
    if (!this.mayManage(actor, row)) {
      const collectionId = row.asset ? row.asset.collectionId : row.collectionId;
      if (!this.access.can(actor, 'asset.read', { collectionId })) throw missing;
      throw new StockroomError('FORBIDDEN', 'Only the link’s creator, editors of its collection and administrators can see and revoke a share link.', { id });
    }
    return row;
  }

  /** A first cut in SQL of the links `mayManage` allows (which has the last word). */
  private manageableWhere(actor: Actor) {
    const editable = [...(actor.grants?.entries() ?? [])]
      .filter(([collectionId]) => this.access.can(actor, 'asset.share', { collectionId }))
      .map(([collectionId]) => collectionId);
    return [
      { createdById: actor.user.id },
      { collectionId: { in: editable } },
      { asset: { collectionId: { in: editable } } },
      { asset: { collectionId: null, createdById: actor.user.id } },
    ];
  }

  /** Editors of the target's collection (the creator of an unfiled asset), administrators, and the link's creator while they may still read the target. */
  private mayManage(actor: Actor, row: ShareLinkRow): boolean {
    const collectionId = row.asset ? row.asset.collectionId : row.collectionId;
    if (this.access.can(actor, 'asset.share', { collectionId, createdById: row.asset?.createdById })) return true;
    return row.createdById === actor.user.id && this.access.can(actor, 'asset.read', { collectionId });
  }

  private async toDtos(rows: ShareLinkRow[]): Promise<ShareLink[]> {
    const [usage, people] = await Promise.all([
      repo.usage(
        this.db,
        rows.map((r) => r.id),
      ),
      repo.users(this.db, [...new Set(rows.map((r) => r.createdById))]),
    ]);
    const byId = new Map(people.map((p) => [p.id, p]));
    return rows.map((row) => toShareLink(row, usage.get(row.id)!, byId.get(row.createdById) ?? { id: row.createdById, name: 'Former user', email: '' }));
  }
}

function toShareLink(row: ShareLinkRow, usage: ShareUsage, createdBy: { id: string; name: string; email: string }): ShareLink {
  return {
    id: row.id,
    name: row.name,
    target: row.assetId ? { kind: 'asset', assetId: row.assetId } : { kind: 'collection', collectionId: row.collectionId! },
    targetName: row.asset?.name ?? row.collection?.name ?? '',
    prefix: row.prefix,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    hasPassword: row.passwordHash !== null,
    allowDownload: row.allowDownload,
    allowComments: row.allowComments,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    createdBy,
    views: usage.views,
    downloads: usage.downloads,
    lastAccessAt: usage.lastAccessAt?.toISOString() ?? null,
  };
}
