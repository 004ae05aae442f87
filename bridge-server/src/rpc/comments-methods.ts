import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** comments.*: review comments: each method bound to one service call (and its REST path). */
export function registerCommentsMethods(registry: MethodRegistry, s: Pick<MethodServices, 'comments'>): void {
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
    .register('comments.delete', ({ actor }, p) => s.comments.delete(actor, p), { verb: 'delete', path: '/api/comments/:commentId' });
}
