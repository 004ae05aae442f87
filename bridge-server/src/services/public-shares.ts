import { createHmac, timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import { StockroomError, type GuestCommentBody, type PublicComment, type PublicShare, type PublicShareItem, type ReviewComment } from '@stockroom/shared-types';
import { shareLinksRepository as repo, shareMediaRepository as media, type ShareLinkRow } from '../repositories/share-links.ts';
import type { CommentsService } from './comments.ts';
import type { Db } from '../repositories/db.ts';
import { hashShareSecret, sharePath } from './shares.ts';
import { versionTiming } from './version-timing.ts';

/** Why a link does not open. The page says which, so the guest knows whom to ask. */
export type ShareRefusalReason = 'unknown' | 'expired' | 'revoked' | 'password' | 'wrong-password' | 'empty';

export class ShareRefused extends Error {
  constructor(
    readonly reason: ShareRefusalReason,
    readonly link?: ShareLinkRow,
  ) {
    super(`share link refused: ${reason}`);
  }
}

export interface Visitor {
  ip?: string;
  userAgent?: string;
}

/** What a public page may serve of an item: the presets people look at, never anything else. */
export const PUBLIC_PRESETS = ['thumbnail', 'poster', 'preview', 'proxy'] as const;
export type PublicPreset = (typeof PUBLIC_PRESETS)[number];

const SECRET_FORMAT = /^sh_[A-Za-z0-9_-]{32}$/;
/** At most this many assets of a collection are shown through one link. */
const MAX_ITEMS = 200;

export interface BlobRef {
  sha256: string;
  size: number;
  fileName: string;
  mimeType: string;
}

/**
 * What a guest reaches through a share link's secret: the link's assets (addressed by
 * their position in the link, never by id), their previews and proxies, their comments,
 * a download when allowed and a comment when allowed. Everything else answers as if the
 * link did not exist. Every view, download, guest comment and refusal is logged.
 */
export class PublicSharesService {
  constructor(
    private readonly db: Db,
    private readonly comments: CommentsService,
    /** Signs the cookie that says a browser gave a link's password. */
    private readonly key: string,
  ) {}

  async open(secret: string, unlockCookie: string | undefined, visitor: Visitor): Promise<ShareLinkRow> {
    const link = SECRET_FORMAT.test(secret) ? await repo.bySecretHash(this.db, hashShareSecret(secret)) : null;
    if (!link) throw new ShareRefused('unknown');
    let reason: ShareRefusalReason | null = null;
    if (link.revokedAt) reason = 'revoked';
    else if (link.expiresAt && link.expiresAt.getTime() <= Date.now()) reason = 'expired';
    else if (link.assetId && (!link.asset || link.asset.deletedAt)) reason = 'empty';
    else if (link.passwordHash && !this.cookieValid(link, unlockCookie)) reason = 'password';
    if (reason) {
      // Asking for the password is not a refusal worth a row; everything else is.
      if (reason !== 'password')
        await repo.logAccess(this.db, { linkId: link.id, kind: 'refused', ip: visitor.ip, userAgent: visitor.userAgent, detail: reason });
      throw new ShareRefused(reason, link);
    }
    return link;
  }

  /** Checks a password; answers the cookie value that unlocks the link in this browser. */
  async unlock(secret: string, password: string, visitor: Visitor): Promise<{ link: ShareLinkRow; cookie: string }> {
    let link: ShareLinkRow;
    try {
      link = await this.open(secret, undefined, visitor);
      return { link, cookie: '' };
    } catch (error) {
      if (!(error instanceof ShareRefused) || error.reason !== 'password' || !error.link) throw error;
      link = error.link;
    }
    if (!(await verify(link.passwordHash!, password))) {
      await repo.logAccess(this.db, { linkId: link.id, kind: 'refused', ip: visitor.ip, userAgent: visitor.userAgent, detail: 'wrong-password' });
      throw new ShareRefused('wrong-password', link);
    }
    return { link, cookie: this.cookieFor(link) };
  }

  cookieName(link: ShareLinkRow): string {
    return `sr_share_${link.id.slice(0, 8)}`;
  }

  async view(link: ShareLinkRow, secret: string, visitor: Visitor): Promise<PublicShare> {
    const assets = await repo.assetsOf(this.db, link, MAX_ITEMS);
    const items: PublicShareItem[] = [];
    for (const [index, asset] of assets.entries()) {
      const base = `${sharePath(secret)}/items/${index}`;
      const [version, derivatives, comments] = await Promise.all([
        media.version(this.db, asset.id, asset.headVersion),
        media.readyDerivatives(this.db, asset.id, asset.headVersion),
        this.comments.listOf(asset, asset.headVersion),
      ]);
      if (!version) continue;
      const has = (preset: PublicPreset) => derivatives.some((d) => d.preset === preset);
      const timing = versionTiming(version.metadata);
      const meta = version.metadata as Record<string, unknown>;
      const isVideo = version.mimeType.startsWith('video/');
      items.push({
        index,
        name: asset.name,
        kind: asset.kind,
        versionNumber: version.number,
        mimeType: version.mimeType,
        width: typeof meta.width === 'number' ? meta.width : null,
        height: typeof meta.height === 'number' ? meta.height : null,
        durationSeconds: timing?.durationSeconds ?? null,
        frameRate: isVideo ? (timing?.frameRate ?? null) : null,
        posterUrl: has('poster') ? `${base}/poster` : has('thumbnail') ? `${base}/thumbnail` : null,
        previewUrl: has('preview') ? `${base}/preview` : null,
        proxyUrl: has('proxy') ? `${base}/proxy` : null,
        downloadUrl: link.allowDownload ? `${base}/download` : null,
        comments: comments.map(toPublicComment),
      });
    }
    await repo.logAccess(this.db, { linkId: link.id, kind: 'view', ip: visitor.ip, userAgent: visitor.userAgent });
    return {
      name: link.name,
      expiresAt: link.expiresAt?.toISOString() ?? null,
      allowDownload: link.allowDownload,
      allowComments: link.allowComments,
      items,
    };
  }

  async derivative(link: ShareLinkRow, index: number, preset: PublicPreset): Promise<BlobRef> {
    const asset = await this.item(link, index);
    const found = (await media.readyDerivatives(this.db, asset.id, asset.headVersion)).find((d) => d.preset === preset);
    if (!found?.blobSha256 || found.size === null) throw notShared();
    return { sha256: found.blobSha256, size: Number(found.size), fileName: `${asset.name}.${preset}`, mimeType: found.mimeType ?? 'application/octet-stream' };
  }

  async download(link: ShareLinkRow, index: number, visitor: Visitor): Promise<BlobRef> {
    if (!link.allowDownload) throw new StockroomError('FORBIDDEN', 'This link does not allow downloads. Ask whoever sent it for a copy.');
    const asset = await this.item(link, index);
    const version = await media.version(this.db, asset.id, asset.headVersion);
    if (!version) throw notShared();
    await repo.logAccess(this.db, { linkId: link.id, kind: 'download', ip: visitor.ip, userAgent: visitor.userAgent, detail: asset.name });
    return { sha256: version.blobSha256, size: Number(version.size), fileName: version.originalName, mimeType: version.mimeType };
  }

  async comment(link: ShareLinkRow, index: number, body: GuestCommentBody, visitor: Visitor): Promise<PublicComment> {
    if (!link.allowComments) throw new StockroomError('FORBIDDEN', 'This link does not take comments. Reply to whoever sent it instead.');
    const asset = await this.item(link, index);
    if (body.parentId) {
      // A reply must answer a comment this page shows.
      const shown = await this.comments.listOf(asset, asset.headVersion);
      if (!shown.some((c) => c.id === body.parentId)) throw notShared();
    }
    const comment = await this.comments.write({ kind: 'guest', name: body.name, shareLinkId: link.id, ip: visitor.ip }, asset.id, {
      version: asset.headVersion,
      body: body.body,
      parentId: body.parentId,
      timeRange: body.timeRange,
      region: body.region,
    });
    await repo.logAccess(this.db, { linkId: link.id, kind: 'comment', ip: visitor.ip, userAgent: visitor.userAgent, detail: asset.name });
    return toPublicComment(comment);
  }

  private async item(link: ShareLinkRow, index: number) {
    const assets = await repo.assetsOf(this.db, link, MAX_ITEMS);
    const asset = assets[index];
    if (!asset) throw notShared();
    return asset;
  }

  private cookieFor(link: ShareLinkRow): string {
    // Bound to the password's hash: changing nothing else, a new password would lock old browsers out.
    return createHmac('sha256', this.key).update(`share-unlock:${link.id}:${link.passwordHash}`).digest('base64url');
  }

  private cookieValid(link: ShareLinkRow, value: string | undefined): boolean {
    if (!value) return false;
    const expected = Buffer.from(this.cookieFor(link));
    const given = Buffer.from(value);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

function notShared(): StockroomError {
  return new StockroomError('NOT_FOUND', 'This link does not show that. Open the link you were sent again.');
}

export function toPublicComment(comment: ReviewComment): PublicComment {
  return {
    id: comment.id,
    versionNumber: comment.versionNumber,
    parentId: comment.parentId,
    authorName: comment.author.name,
    guest: comment.author.kind === 'guest',
    body: comment.body,
    timeRange: comment.timeRange,
    region: comment.region,
    resolved: comment.resolved,
    createdAt: comment.createdAt,
  };
}
