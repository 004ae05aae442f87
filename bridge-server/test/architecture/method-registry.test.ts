import { methods, type MethodName } from '@stockroom/shared-types';
import { describe, expect, it } from 'vitest';
import type { MethodServices } from '../../src/rpc/method-services.ts';
import { registerAllMethods } from '../../src/rpc/methods.ts';
import { CONNECTION_METHODS, MethodRegistry } from '../../src/rpc/registry.ts';

// Handlers are closures over the services and never run here: binding needs no service.
const services = new Proxy({}, { get: () => ({}) }) as MethodServices;
const contract = (Object.keys(methods) as MethodName[]).filter((name) => !CONNECTION_METHODS.has(name));

describe('method registry at start-up', () => {
  it('binds every method of the contract to a handler, one rpc file per namespace', () => {
    const registry = new MethodRegistry();
    registerAllMethods(registry, services);
    expect(() => registry.assertComplete()).not.toThrow();
    expect(
      registry
        .list()
        .map((m) => m.name)
        .sort(),
    ).toEqual([...contract].sort());
    expect(registry.get('assets.search')?.rest).toEqual({ verb: 'post', path: '/api/assets/search' });
  });

  it('refuses to start when a contract method has no handler, naming it', () => {
    const full = new MethodRegistry();
    registerAllMethods(full, services);
    const partial = new MethodRegistry();
    for (const m of full.list()) if (m.name !== 'jobs.retry') partial.register(m.name, m.handler, m.rest);
    expect(() => partial.assertComplete()).toThrow(/contract methods without a handler: jobs\.retry \(bind each in rpc\/<namespace>-methods\.ts\)/);
  });

  it('refuses a handler that has no contract method', () => {
    const registry = new MethodRegistry();
    expect(() => registry.register('assets.teleport' as MethodName, async () => ({}) as never)).toThrow(/assets\.teleport is not in the shared-types contract/);
    registerAllMethods(registry, services);
    registry.register('session.whoami', async () => ({}) as never);
    expect(() => registry.assertComplete()).toThrow(/handlers outside the registry's part of the contract: session\.whoami/);
  });
});
