import type { CommentsService } from '../services/comments.ts';
import type { ReviewsService } from '../services/reviews.ts';
import type { SharesService } from '../services/shares.ts';
import type { MethodRegistry } from './registry.ts';

export interface ReviewServices {
  comments: CommentsService;
  reviews: ReviewsService;
  shares: SharesService;
}

/** Binds comment, approval and share-link methods to their services (and REST paths). */
export function registerReviewMethods(registry: MethodRegistry, s: ReviewServices): void {
  registry
    .register('comments.list', async ({ actor }, p) => ({ comments: await s.comments.list(actor, p) }), { verb: 'get', path: '/api/assets/:assetId/comments' })
    .register('comments.create', async ({ actor }, p) => ({ comment: await s.comments.create(actor, p) }), {
      verb: 'post',
      path: '/api/assets/:assetId/comments',
      status: 201,
    })
    .register('comments.update', async ({ actor }, p) => ({ comment: await s.comments.update(actor, p) }), { verb: 'patch', path: '/api/comments/:commentId' })
    .register('comments.resolve', async ({ actor }, p) => ({ comment: await s.comments.resolve(actor, p) }), {
      verb: 'post',
      path: '/api/comments/:commentId/resolve',
    })
    .register('comments.delete', ({ actor }, p) => s.comments.delete(actor, p), { verb: 'delete', path: '/api/comments/:commentId' })
    .register('reviews.get', ({ actor }, p) => s.reviews.get(actor, p), { verb: 'get', path: '/api/assets/:assetId/review' })
    .register('reviews.set', ({ actor }, p) => s.reviews.set(actor, p), { verb: 'post', path: '/api/assets/:assetId/versions/:version/review' })
    .register('reviews.getRule', ({ actor }, p) => s.reviews.getRule(actor, p), { verb: 'get', path: '/api/collections/:collectionId/review-rule' })
    .register('reviews.setRule', ({ actor }, p) => s.reviews.setRule(actor, p), { verb: 'post', path: '/api/collections/:collectionId/review-rule' })
    .register('shares.list', async ({ actor }, p) => ({ links: await s.shares.list(actor, p) }), { verb: 'get', path: '/api/shares' })
    .register('shares.create', ({ actor }, p) => s.shares.create(actor, p), { verb: 'post', path: '/api/shares', status: 201 })
    .register('shares.revoke', ({ actor }, p) => s.shares.revoke(actor, p.id), { verb: 'post', path: '/api/shares/:id/revoke' })
    .register('shares.usage', ({ actor }, p) => s.shares.usage(actor, p), { verb: 'get', path: '/api/shares/:id/usage' });
}
