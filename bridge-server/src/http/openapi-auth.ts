import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import {
  csrfResponseSchema,
  deviceCodeRequestSchema,
  deviceCodeResponseSchema,
  deviceTokenErrorSchema,
  deviceTokenRequestSchema,
  deviceTokenResponseSchema,
  loginBodySchema,
  passwordChangeBodySchema,
  signedInSchema,
  wsTokenResponseSchema,
} from '@stockroom/shared-types';
import { z } from 'zod';
import type { ErrorResponses } from './openapi-common.ts';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
const html = { 'text/html': { schema: z.string() } };
const csrfHeader = z.object({ 'X-CSRF-Token': z.string().describe('From GET /auth/csrf, /auth/me or the answer of POST /auth/login') });
const session = [{ session: [] }];
const form = (fields: Record<string, z.ZodType>) => ({
  'application/x-www-form-urlencoded': { schema: z.object({ ...fields, _csrf: z.string().describe('The CSRF token of the page') }) },
});
const redirect = (to: string) => ({ description: `Redirect to ${to}`, headers: { Location: { description: to, schema: { type: 'string' as const } } } });

/** The sign-in endpoints (docs/protocol.md, "Sign-in"): JSON for the dashboard and panels, server-rendered pages for device approval and single sign-on. */
export function registerAuthPaths(openapi: OpenAPIRegistry, errors: ErrorResponses, options: { oidc: boolean }): void {
  const tags = ['auth'];
  const path = (method: 'get' | 'post', p: string, operationId: string, summary: string, rest: Record<string, unknown>) =>
    openapi.registerPath({ method, path: p, operationId, summary, tags, ...(rest as object) } as Parameters<OpenAPIRegistry['registerPath']>[0]);

  path('get', '/auth/csrf', 'auth.csrf', 'A CSRF token for this browser session (creates the anonymous session if needed)', {
    security: [],
    responses: { 200: { description: 'The token', content: json(csrfResponseSchema) }, ...errors },
  });
  path('post', '/auth/login', 'auth.login', 'Sign in with e-mail and password (JSON only); sets the session cookie', {
    security: [],
    request: { body: { required: true, content: json(loginBodySchema) } },
    responses: { 200: { description: 'Signed in, with the CSRF token of the new session', content: json(signedInSchema) }, ...errors },
  });
  path('get', '/auth/me', 'auth.me', 'Who this browser session is', {
    security: session,
    responses: { 200: { description: 'Signed in', content: json(signedInSchema) }, ...errors },
  });
  path('get', '/auth/providers', 'auth.providers', 'Which ways to sign in this server offers', {
    security: [],
    responses: {
      200: { description: 'Password always; single sign-on when configured', content: json(z.object({ password: z.literal(true), oidc: z.boolean() })) },
      ...errors,
    },
  });
  path('post', '/auth/logout', 'auth.logout', 'End this session and revoke its WebSocket tokens', {
    security: session,
    request: { headers: csrfHeader },
    responses: { 204: { description: 'Signed out' }, ...errors },
  });
  path('post', '/auth/password', 'auth.password', 'Change your own password; your other sessions end', {
    security: session,
    request: { headers: csrfHeader, body: { required: true, content: json(passwordChangeBodySchema) } },
    responses: { 204: { description: 'Changed' }, ...errors },
  });
  path('post', '/auth/ws-token', 'auth.wsToken', 'A 12-hour token for session.hello, revoked at sign-out', {
    security: session,
    request: { headers: csrfHeader },
    responses: { 200: { description: 'The token', content: json(wsTokenResponseSchema) }, ...errors },
  });
  path('post', '/auth/device/code', 'auth.deviceCode', 'Start a device sign-in (panels and plugins, RFC 8628 style)', {
    security: [],
    request: { body: { required: true, content: json(deviceCodeRequestSchema) } },
    responses: { 200: { description: 'The codes to show and to poll with', content: json(deviceCodeResponseSchema) }, ...errors },
  });
  path('post', '/auth/device/token', 'auth.deviceToken', 'Poll for the token of a device sign-in', {
    security: [],
    request: { body: { required: true, content: json(deviceTokenRequestSchema) } },
    responses: {
      200: { description: 'Approved: the token, once', content: json(deviceTokenResponseSchema) },
      400: { description: 'Not yet, or never (OAuth 2.0 device grant errors, as RFC 8628 defines them)', content: json(deviceTokenErrorSchema) },
      ...errors,
    },
  });
  path('get', '/auth/device', 'auth.devicePage', 'The page where a person signs in and approves a device code', {
    security: [],
    request: { query: z.object({ code: z.string().max(20).optional().describe('The user code shown by the app') }) },
    responses: {
      200: { description: 'Sign-in, code entry or approval page', content: html },
      404: { description: 'Unknown or expired code (a page)', content: html },
    },
  });
  path('post', '/auth/device/sign-in', 'auth.deviceSignIn', 'The sign-in form of the device page', {
    security: [],
    request: { body: { required: true, content: form({ email: z.string(), password: z.string(), code: z.string().optional() }) } },
    responses: {
      303: redirect('/auth/device?code=…'),
      401: { description: 'Wrong e-mail or password (the page again)', content: html },
      429: { description: 'Rate limited (the page again)', content: html },
      ...errors,
    },
  });
  path('post', '/auth/device/decision', 'auth.deviceDecision', 'Approve or deny a device code', {
    security: session,
    request: { body: { required: true, content: form({ code: z.string(), decision: z.enum(['approve', 'deny']) }) } },
    responses: { 200: { description: 'Done (a page)', content: html }, 303: redirect('/auth/device (not signed in)'), ...errors },
  });
  if (options.oidc) {
    path('get', '/auth/oidc/login', 'auth.oidcLogin', 'Start single sign-on with the OpenID Connect provider', {
      security: [],
      request: { query: z.object({ returnTo: z.string().optional().describe('A path on this server to go back to') }) },
      responses: { 303: redirect('the provider'), ...errors },
    });
    path('get', '/auth/oidc/callback', 'auth.oidcCallback', 'Where the provider sends the browser back', {
      security: [],
      responses: { 303: redirect('/admin or returnTo'), ...errors },
    });
  }
}
