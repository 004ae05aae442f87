import type { RateLimits } from '../auth/rate-limits.ts';
import type { AuditService } from '../services/audit.ts';
import type { GrantsService } from '../services/grants.ts';
import type { GroupsService } from '../services/groups.ts';
import type { TokensService } from '../services/tokens.ts';
import type { UsersService } from '../services/users.ts';
import type { MethodRegistry } from './registry.ts';

export interface AccessServices {
  users: UsersService;
  tokens: TokensService;
  groups: GroupsService;
  grants: GrantsService;
  audit: AuditService;
  limits?: RateLimits;
}

/** Accounts, tokens, groups, grants and the audit log: methods and their REST paths. */
export function registerAccessMethods(registry: MethodRegistry, s: AccessServices): void {
  registry
    .register('users.list', async ({ actor }, p) => ({ users: await s.users.list(actor, p) }), { verb: 'get', path: '/api/users' })
    .register('users.create', ({ actor }, p) => s.users.createForActor(actor, p), { verb: 'post', path: '/api/users', status: 201 })
    .register('users.update', ({ actor }, p) => s.users.update(actor, p), { verb: 'patch', path: '/api/users/:id' })
    .register('tokens.list', async ({ actor }, p) => ({ tokens: await s.tokens.list(actor, p) }), { verb: 'get', path: '/api/tokens' })
    .register(
      'tokens.create',
      async ({ actor }, p) => {
        if (s.limits) await s.limits.consume(s.limits.tokenIssue, actor.user.id, 'Too many tokens were created.');
        return s.tokens.createForActor(actor, p);
      },
      { verb: 'post', path: '/api/tokens', status: 201 },
    )
    .register('tokens.revoke', ({ actor }, p) => s.tokens.revokeForActor(actor, p.id), { verb: 'post', path: '/api/tokens/:id/revoke' })
    .register('groups.list', async ({ actor }) => ({ groups: await s.groups.list(actor) }), { verb: 'get', path: '/api/groups' })
    .register('groups.create', ({ actor }, p) => s.groups.create(actor, p), { verb: 'post', path: '/api/groups', status: 201 })
    .register('groups.delete', ({ actor }, p) => s.groups.delete(actor, p.id), { verb: 'delete', path: '/api/groups/:id' })
    .register('groups.addMember', ({ actor }, p) => s.groups.addMember(actor, p.groupId, p.userId), {
      verb: 'post',
      path: '/api/groups/:groupId/members/:userId',
    })
    .register('groups.removeMember', ({ actor }, p) => s.groups.removeMember(actor, p.groupId, p.userId), {
      verb: 'delete',
      path: '/api/groups/:groupId/members/:userId',
    })
    .register('grants.list', async ({ actor }, p) => ({ grants: await s.grants.list(actor, p.collectionId) }), {
      verb: 'get',
      path: '/api/collections/:collectionId/grants',
    })
    .register('grants.set', ({ actor }, p) => s.grants.set(actor, p), { verb: 'post', path: '/api/collections/:collectionId/grants' })
    .register('grants.remove', ({ actor }, p) => s.grants.remove(actor, p), {
      verb: 'delete',
      path: '/api/collections/:collectionId/grants/:subjectType/:subjectId',
    })
    .register('audit.query', ({ actor }, p) => s.audit.query(actor, p), { verb: 'get', path: '/api/audit' });
}
