import { EVENT_NAMES, methods, type EventName, type MethodResult } from '@stockroom/shared-types';
import type { DeliveredEvent } from '../adapters/event-bus.ts';
import { validationError } from '../rpc/call.ts';
import type { AccessPolicy } from '../services/access.ts';
import type { Actor } from '../services/actor.ts';

/**
 * Which live events one connection is sent: those it subscribed to with events.subscribe (none
 * before; all without a list; each call replaces the last), and of those only what the access
 * policy lets its actor see.
 */
export class Subscriptions {
  private subscribed = new Set<EventName>();

  constructor(private readonly access: Pick<AccessPolicy, 'canSeeEvent'>) {}

  subscribe(params: unknown): MethodResult<'events.subscribe'> {
    const parsed = methods['events.subscribe'].params.safeParse(params ?? {});
    if (!parsed.success) throw validationError('events.subscribe', parsed.error);
    this.subscribed = new Set(parsed.data.events ?? EVENT_NAMES);
    return { events: [...this.subscribed] };
  }

  sends(actor: Actor, event: DeliveredEvent): boolean {
    return this.subscribed.has(event.event) && this.access.canSeeEvent(actor, event);
  }
}
