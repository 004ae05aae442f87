import type { MethodName, MethodParsedParams, MethodResult } from '@stockroom/shared-types';
import { methods } from '@stockroom/shared-types';
import type { Actor } from '../services/actor.ts';

export interface CallContext {
  actor: Actor;
}

export type Handler<M extends MethodName> = (ctx: CallContext, params: MethodParsedParams<M>) => Promise<MethodResult<M>>;

export interface RestBinding {
  verb: 'get' | 'post' | 'patch' | 'delete';
  /** Express path; its `:params` fill the method params of the same name. */
  path: string;
  /** HTTP status of a success (default 200). */
  status?: number;
}

export interface RegisteredMethod<M extends MethodName = MethodName> {
  name: M;
  handler: Handler<M>;
  rest?: RestBinding;
}

/** Answered by the WebSocket connection itself (ws/connection.ts), not through the registry. */
export const CONNECTION_METHODS: ReadonlySet<MethodName> = new Set<MethodName>(['session.hello', 'session.whoami', 'events.subscribe']);

/**
 * The methods this server answers, shared by the WebSocket and REST transports.
 * Connection-level methods (session.*, events.subscribe) are answered by the
 * WebSocket transport itself.
 */
export class MethodRegistry {
  private readonly entries = new Map<MethodName, RegisteredMethod>();

  register<M extends MethodName>(name: M, handler: Handler<M>, rest?: RestBinding): this {
    if (!(name in methods)) throw new Error(`${name} is not in the shared-types contract`);
    if (this.entries.has(name)) throw new Error(`${name} is registered twice`);
    this.entries.set(name, { name, handler, rest } as unknown as RegisteredMethod);
    return this;
  }

  get(name: string): RegisteredMethod | undefined {
    return this.entries.get(name as MethodName);
  }

  list(): RegisteredMethod[] {
    return [...this.entries.values()];
  }

  /**
   * The server refuses to start unless every method of the contract has a handler here
   * (the WebSocket transport answers the connection-level ones itself).
   * A handler for a name outside the contract cannot be registered at all.
   */
  assertComplete(): void {
    const missing = (Object.keys(methods) as MethodName[]).filter((name) => !CONNECTION_METHODS.has(name) && !this.entries.has(name));
    const stray = [...this.entries.keys()].filter((name) => !(name in methods) || CONNECTION_METHODS.has(name));
    if (missing.length || stray.length) {
      throw new Error(
        [
          missing.length ? `contract methods without a handler: ${missing.join(', ')} (bind each in rpc/<namespace>-methods.ts)` : '',
          stray.length
            ? `handlers outside the registry's part of the contract: ${stray.join(', ')} (add them to shared-types, or leave connection methods to the WebSocket transport)`
            : '',
        ]
          .filter(Boolean)
          .join('; '),
      );
    }
  }
}
