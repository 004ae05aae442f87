import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** reviews.*: approvals and review rules: each method bound to one service call (and its REST path). */
export function registerReviewsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'reviews'>): void {
  registry
    .register('reviews.get', ({ actor }, p) => s.reviews.get(actor, p), { verb: 'get', path: '/api/assets/:assetId/review' })
    .register('reviews.set', ({ actor }, p) => s.reviews.set(actor, p), { verb: 'post', path: '/api/assets/:assetId/versions/:version/review' })
    .register('reviews.getRule', ({ actor }, p) => s.reviews.getRule(actor, p), { verb: 'get', path: '/api/collections/:collectionId/review-rule' })
    .register('reviews.setRule', ({ actor }, p) => s.reviews.setRule(actor, p), { verb: 'post', path: '/api/collections/:collectionId/review-rule' });
}
