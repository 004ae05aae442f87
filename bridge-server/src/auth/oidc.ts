import type { Request } from 'express';
import * as client from 'openid-client';
import { StockroomError } from '@stockroom/shared-types';
import type { Logger } from '../logger.ts';
import type { AuditService } from '../services/audit.ts';
import type { UsersService } from '../services/users.ts';
import type { AuthConfig } from '../config.ts';
import type { SessionUser } from './web-session.ts';

/**
 * Single sign-on with OpenID Connect (openid-client): authorization code flow with
 * PKCE, state and nonce kept in the session. Accounts are matched by verified e-mail;
 * a first sign-in creates a member.
 */
export class OidcSignIn {
  private configuration: Promise<client.Configuration> | undefined;

  constructor(
    private readonly settings: NonNullable<AuthConfig['oidc']>,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    private readonly logger: Logger,
  ) {}

  private config(): Promise<client.Configuration> {
    // Discovered on first use, so a provider that is down does not stop the server from starting.
    this.configuration ??= client
      .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret, undefined, {
        // Plain http only for a provider on this machine (development and tests).
        execute: isLoopback(this.settings.issuer) ? [client.allowInsecureRequests] : [],
      })
      .catch((error: unknown) => {
        this.configuration = undefined;
        this.logger.warn({ err: error, issuer: this.settings.issuer }, 'OpenID provider discovery failed');
        throw new StockroomError('INTERNAL', 'The single sign-on provider cannot be reached. Try again later, or sign in with a password.');
      });
    return this.configuration;
  }

  /** Where to send the browser to sign in. */
  async start(req: Request): Promise<string> {
    const config = await this.config();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const returnTo = typeof req.query.returnTo === 'string' && /^\/(?!\/)/.test(req.query.returnTo) ? req.query.returnTo : '/admin';
    req.session.oidc = { state, nonce, codeVerifier, returnTo };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUrl,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return url.href;
  }

  /** Completes the sign-in from the provider's redirect. */
  async finish(req: Request, ip: string): Promise<{ user: SessionUser; returnTo: string }> {
    const pending = req.session.oidc;
    delete req.session.oidc;
    if (!pending) throw new StockroomError('UNAUTHENTICATED', 'This sign-in link is stale. Start the single sign-on again.');
    const config = await this.config();
    const currentUrl = new URL(req.originalUrl, this.settings.redirectUrl);
    let claims: Record<string, unknown> | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idToken = tokens.claims()!;
      claims = { ...idToken };
      // Many providers put e-mail and name only in the UserInfo answer, not in the ID token.
      if (typeof claims.email !== 'string') claims = { ...(await client.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
    } catch (error) {
      this.logger.info({ err: error }, 'single sign-on failed');
      await this.audit.record({
        action: 'auth.login.failed',
        targetType: 'user',
        targetId: 'oidc',
        ip,
        data: { method: 'oidc', reason: (error as Error).message },
      });
      throw new StockroomError('UNAUTHENTICATED', 'Single sign-on failed. Start it again; if it keeps failing, ask an administrator.');
    }
    const email = typeof claims?.email === 'string' ? claims.email : undefined;
    if (!email || claims?.email_verified !== true) {
      await this.audit.record({
        action: 'auth.login.failed',
        targetType: 'user',
        targetId: 'oidc',
        ip,
        data: { method: 'oidc', reason: 'no verified e-mail' },
      });
      throw new StockroomError('UNAUTHENTICATED', 'The sign-on provider did not confirm a verified e-mail address. Ask an administrator.');
    }
    const name = typeof claims.name === 'string' ? claims.name : email;
    const { user, created } = await this.users.findOrCreateForSso(email, name);
    if (user.disabledAt) {
      await this.audit.record({
        action: 'auth.login.failed',
        actorId: user.id,
        targetType: 'user',
        targetId: user.id,
        ip,
        data: { method: 'oidc', reason: 'disabled' },
      });
      throw new StockroomError('UNAUTHENTICATED', 'This account is disabled. Ask an administrator.');
    }
    if (created)
      await this.audit.record({ action: 'user.create', actorId: user.id, targetType: 'user', targetId: user.id, ip, data: { via: 'oidc', email: user.email } });
    return { user, returnTo: pending.returnTo };
  }
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}
