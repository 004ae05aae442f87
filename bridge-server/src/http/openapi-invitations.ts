import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { invitationAcceptBodySchema, invitationAcceptResultSchema, invitationLookupBodySchema, invitationLookupResultSchema } from '@stockroom/shared-types';
import type { ErrorResponses } from './openapi-common.ts';

/** The invitee's two public endpoints (http/invitation-routes.ts). */
export function registerInvitationPaths(openapi: OpenAPIRegistry, errors: ErrorResponses): void {
  openapi.registerPath({
    method: 'post',
    path: '/auth/invitations/lookup',
    operationId: 'auth.invitationLookup',
    summary: 'What an invitation link is for (e-mail, role, expiry), while it can still be used',
    description:
      'An unknown or withdrawn link is NOT_FOUND; a used or expired one is CONFLICT with data.reason "used" or "expired". Wrong secrets count against the address like failed sign-ins.',
    tags: ['auth'],
    security: [],
    request: { body: { required: true, content: { 'application/json': { schema: invitationLookupBodySchema } } } },
    responses: { 200: { description: 'The invitation', content: { 'application/json': { schema: invitationLookupResultSchema } } }, ...errors },
  });
  openapi.registerPath({
    method: 'post',
    path: '/auth/invitations/accept',
    operationId: 'auth.invitationAccept',
    summary: 'Create the invited account with a name and password (the password policy applies); the link is used up',
    description: 'Then sign in with POST /auth/login. A weak password is VALIDATION_FAILED and leaves the link usable.',
    tags: ['auth'],
    security: [],
    request: { body: { required: true, content: { 'application/json': { schema: invitationAcceptBodySchema } } } },
    responses: { 200: { description: 'The account was created', content: { 'application/json': { schema: invitationAcceptResultSchema } } }, ...errors },
  });
}
