import { methods, PROTOCOL_VERSION, StockroomError, type ConnectedClient, type MethodResult, type User } from '@stockroom/shared-types';
import { actorForToken } from '../auth/actors.ts';
import type { Logger } from '../logger.ts';
import { toStockroomError, validationError } from '../rpc/call.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';
import type { ClientsService } from '../services/clients.ts';
import type { TokensService } from '../services/tokens.ts';
import { SERVER_VERSION } from '../version.ts';

export interface SessionDeps {
  tokens: Pick<TokensService, 'authenticate'>;
  clients: Pick<ClientsService, 'connected' | 'disconnected'>;
  access: AccessPolicy;
  logger: Logger;
}

/** What session.hello came to: the answer, or the error to send and why the socket closes. */
export type HelloOutcome = { ok: true; result: MethodResult<'session.hello'> } | { ok: false; error: StockroomError; closeReason: string };

/**
 * Who is signed in on one connection: session.hello's checks (parameters, protocol, the
 * token, as for an HTTP bearer header), the client session it records (what admin.clients
 * lists), session.whoami, and the record's end when the socket closes.
 */
export class ClientSession {
  private signedIn: { actor: Actor; user: User; client: ConnectedClient } | undefined;
  /** The client session still recorded as connected; cleared once its end is recorded. */
  private recorded: ConnectedClient | undefined;
  private ended = false;

  constructor(
    private readonly deps: SessionDeps,
    private readonly address: string | undefined,
  ) {}

  get actor(): Actor | undefined {
    return this.signedIn?.actor;
  }

  async signIn(params: unknown): Promise<HelloOutcome> {
    const parsed = methods['session.hello'].params.safeParse(params ?? {});
    if (!parsed.success) return { ok: false, error: validationError('session.hello', parsed.error), closeReason: 'invalid hello' };
    const { token, client, protocol } = parsed.data;
    if (protocol !== PROTOCOL_VERSION) {
      const error = new StockroomError(
        'PROTOCOL_ERROR',
        `This server speaks protocol ${PROTOCOL_VERSION}, the client ${protocol}. Update the plugin or the server.`,
        { serverProtocol: PROTOCOL_VERSION },
      );
      return { ok: false, error, closeReason: 'protocol mismatch' };
    }
    try {
      // The same token check as an HTTP bearer header; grants and scopes come with it.
      const auth = await this.deps.tokens.authenticate(token);
      const actor = await actorForToken(this.deps.access, auth, client.app, this.address);
      const record = await this.deps.clients.connected(actor, client, this.address);
      actor.sessionId = record.sessionId;
      const user: User = { ...actor.user, createdAt: auth.user.createdAt.toISOString(), disabledAt: null };
      // Set last: a request waiting behind hello sees either no actor or a complete session.
      this.signedIn = { actor, user, client: record };
      this.recorded = record;
      // The socket closed while the token was checked: the session it recorded ends at once.
      if (this.ended) await this.end();
      return {
        ok: true,
        result: { sessionId: record.sessionId, user, protocol: PROTOCOL_VERSION, serverVersion: SERVER_VERSION, serverTime: new Date().toISOString() },
      };
    } catch (error) {
      return { ok: false, error: toStockroomError(error, this.deps.logger, { method: 'session.hello' }), closeReason: 'authentication failed' };
    }
  }

  /** session.whoami; only asked once signed in. */
  whoami(): MethodResult<'session.whoami'> {
    const { user, client } = this.signedIn!;
    return { sessionId: client.sessionId, user, client: client.client };
  }

  /** A second session.hello on a signed-in connection. */
  refuseSecondHello(): never {
    throw new StockroomError('PROTOCOL_ERROR', 'This connection is signed in already; open a new connection to sign in as somebody else.');
  }

  /** The socket closed: the client session is recorded as gone (once). */
  async end(): Promise<void> {
    this.ended = true;
    const record = this.recorded;
    this.recorded = undefined;
    if (!record || !this.signedIn) return;
    await this.deps.clients.disconnected(this.signedIn.actor, record).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'could not record a disconnect');
    });
  }
}
