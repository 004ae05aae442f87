import type { MethodServices } from './method-services.ts';
import type { MethodRegistry } from './registry.ts';

/** tokens.*: API tokens: each method bound to one service call (and its REST path). */
export function registerTokensMethods(registry: MethodRegistry, s: Pick<MethodServices, 'limits' | 'tokens'>): void {
  registry
    .register('tokens.list', async ({ actor }, p) => ({ tokens: await s.tokens.list(actor, p) }), { verb: 'get', path: '/api/tokens' })
    .register(
      'tokens.create',
      async ({ actor }, p) => {
        if (s.limits) await s.limits.consume(s.limits.tokenIssue, actor.user.id, 'Too many tokens were created.');
        return s.tokens.createForActor(actor, p);
      },
      { verb: 'post', path: '/api/tokens', status: 201 },
    )
    .register('tokens.revoke', ({ actor }, p) => s.tokens.revokeForActor(actor, p.id), { verb: 'post', path: '/api/tokens/:id/revoke' });
}
