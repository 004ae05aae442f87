import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import type { Express } from 'express';
import openapiTS, { astToString } from 'openapi-typescript';
import { methods } from '@stockroom/shared-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, recordProblems } from '../dashboard/browser.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const REPO = path.join(import.meta.dirname, '..', '..', '..');
const PROTOCOL_MD = readFileSync(path.join(REPO, 'docs', 'protocol.md'), 'utf8');
/** Connection-level methods answered by the WebSocket itself, with no REST form. */
const WS_ONLY = ['session.hello', 'session.whoami', 'events.subscribe'];

let server: TestServer;
let document: any;

beforeAll(async () => {
  server = await startTestServer();
  document = await (await fetch(`${server.url}/api/openapi.json`)).json();
});
afterAll(async () => {
  await server?.destroy();
});

interface Route {
  method: string;
  path: string;
}

/** Every route of the running Express app (nested routers included), with its mount path. */
function expressRoutes(): Route[] {
  const app = server.stockroom.http!.server.listeners('request')[0] as Express & { router: { stack: any[] } };
  const routes: Route[] = [];
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      if (layer.route) {
        const paths: unknown[] = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') continue; // the dashboard's catch-all pattern
          for (const method of Object.keys(layer.route.methods)) routes.push({ method, path: prefix + p });
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk(app.router.stack, '');
  return routes;
}

const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');
/** What the document covers: /api, sign-in (/auth), health and metrics; the dashboard (/admin) and the reference page's own files are not an API. */
const isApiPath = (p: string) =>
  (p.startsWith('/api') && !p.startsWith('/api/docs/')) || p.startsWith('/auth') || ['/healthz', '/readyz', '/metrics'].includes(p);
/** tus answers every verb on its two paths in one handler: the verbs the protocol gives each. */
const TUS_VERBS: Record<string, string[]> = { '/api/uploads': ['post', 'options'], '/api/uploads/:id': ['head', 'patch', 'delete'] };

describe('the OpenAPI document', () => {
  it('passes the Redocly linter’s recommended rules with no error and no warning', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
    // The one accepted finding: public probes and pages (no security) that cannot refuse anything have no 4XX answer.
    const cannotRefuse = (pointer: string | undefined) => {
      const [, path, verb] = /^#\/paths\/([^/]+)\/(\w+)\/responses$/.exec(pointer ?? '') ?? [];
      const operation = path && verb ? document.paths[path.replaceAll('~1', '/')]?.[verb] : undefined;
      return operation?.security?.length === 0;
    };
    // And HTML form posts whose success is a 303 redirect (the device approval page) have no 2XX.
    const redirects = (pointer: string | undefined) => {
      const [, path, verb] = /^#\/paths\/([^/]+)\/(\w+)\/responses$/.exec(pointer ?? '') ?? [];
      return Boolean(path && verb && document.paths[path.replaceAll('~1', '/')]?.[verb]?.responses?.['303']);
    };
    const findings = problems.filter(
      (p) =>
        !(p.ruleId === 'operation-4xx-response' && cannotRefuse(p.location[0]?.pointer)) &&
        !(p.ruleId === 'operation-2xx-response' && redirects(p.location[0]?.pointer)),
    );
    expect(findings.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('has every registered route and method, and docs/protocol.md names each of them', () => {
    const routes = expressRoutes().filter((r) => isApiPath(r.path));
    expect(routes.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const route of routes) {
      const item = document.paths[toOpenApiPath(route.path)];
      const verbs = route.method === '_all' ? (TUS_VERBS[route.path] ?? ['get']) : [route.method];
      for (const verb of verbs) if (!item?.[verb]) missing.push(`${verb.toUpperCase()} ${route.path}`);
    }
    expect(missing, 'routes missing from the OpenAPI document').toEqual([]);
    for (const entry of server.stockroom.registry.list()) {
      if (!entry.rest) continue;
      const operation = document.paths[toOpenApiPath(entry.rest.path)]?.[entry.rest.verb];
      expect(operation?.operationId, entry.name).toBe(entry.name);
    }
    // Nothing documented that the server does not answer.
    const served = new Set(routes.map((r) => toOpenApiPath(r.path)));
    expect(Object.keys(document.paths).filter((p) => !served.has(p))).toEqual([]);

    const undocumented = [...new Set(routes.map((r) => r.path.replace(/:(\w+)/g, '{$1}')))].filter(
      (p) => !PROTOCOL_MD.includes(p) && !PROTOCOL_MD.includes(p.replace(/\{(\w+)\}/g, ':$1')),
    );
    expect(undocumented, 'paths not named in docs/protocol.md').toEqual([]);
    const methodNames = [...new Set([...Object.keys(methods), ...server.stockroom.registry.list().map((e) => e.name)])];
    expect(
      methodNames.filter((m) => !PROTOCOL_MD.includes(`\`${m}\``)),
      'methods not named in docs/protocol.md',
    ).toEqual([]);
    for (const m of WS_ONLY) expect(server.stockroom.registry.get(m)?.rest).toBeUndefined();
  });

  it('documents every query parameter, the download headers and answers, the tus headers and one error schema', async () => {
    const search = document.paths['/api/jobs'].get.parameters.map((p: any) => `${p.in}:${p.name}`);
    expect(search).toEqual(expect.arrayContaining(['query:status', 'query:assetId', 'query:limit', 'query:cursor']));
    const audit = document.paths['/api/audit/export.csv'].get;
    expect(audit.parameters.map((p: any) => p.name)).toEqual(
      expect.arrayContaining(['actorId', 'action', 'targetType', 'targetId', 'clientApp', 'from', 'to']),
    );
    expect(Object.keys(audit.responses['200'].content)).toEqual(['text/csv']);
    for (const path of ['/api/assets/{id}/versions/{number}/content', '/api/assets/{id}/versions/{number}/derivatives/{preset}/content']) {
      const get = document.paths[path].get;
      expect(get.parameters.filter((p: any) => p.in === 'header').map((p: any) => p.name)).toEqual(['Range', 'If-None-Match', 'If-Range']);
      expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(['200', '206', '304', '416']));
      expect(Object.keys(get.responses['206'].headers)).toEqual(expect.arrayContaining(['ETag', 'Content-Range', 'Accept-Ranges']));
      expect(document.paths[path].head).toBeDefined();
    }
    const uploads = document.paths['/api/uploads'];
    const upload = document.paths['/api/uploads/{id}'];
    expect(Object.keys(uploads).sort()).toEqual(['options', 'post']);
    expect(Object.keys(upload).sort()).toEqual(['delete', 'head', 'patch']);
    expect(uploads.post.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['Tus-Resumable', 'Upload-Length', 'Upload-Metadata']));
    expect(upload.patch.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['Upload-Offset', 'Content-Type', 'Stockroom-Sha256']));
    expect(Object.keys(uploads.options.responses['204'].headers)).toEqual(expect.arrayContaining(['Tus-Version', 'Tus-Extension', 'Tus-Max-Size']));
    // The extensions the document names are the ones the server announces.
    const announced = (await fetch(`${server.url}/api/uploads`, { method: 'OPTIONS', headers: { 'tus-resumable': '1.0.0' } })).headers.get('tus-extension');
    const documented = uploads.options.responses['204'].headers['Tus-Extension'].description as string;
    expect(documented.split(/,\s*/).sort()).toEqual(announced!.split(',').sort());
    // One error schema, referenced by every operation's error answers.
    expect(document.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
    for (const [path, item] of Object.entries<any>(document.paths)) {
      for (const [verb, operation] of Object.entries<any>(item)) {
        for (const [status, response] of Object.entries<any>(operation.responses)) {
          // /readyz's 503 is a probe's state for load balancers ({status, reason}), not a refused request;
          // the device token endpoint answers OAuth's {error, error_description} (RFC 8628); pages answer pages.
          if (!/^[45]/.test(status) || !response.content?.['application/json'] || path === '/readyz') continue;
          if (path === '/auth/device/token' && status === '400') continue;
          expect(response.content['application/json'].schema.$ref, `${verb} ${path} ${status}`).toBe('#/components/schemas/Error');
        }
      }
    }
  });

  it('generates a typed client with openapi-typescript that tsc compiles and uses', { timeout: 120_000 }, async () => {
    const dir = makeTempDir('openapi-client');
    writeFileSync(path.join(dir, 'api.ts'), astToString(await openapiTS(document)));
    writeFileSync(
      path.join(dir, 'use.ts'),
      `import type { components, paths } from './api.ts';
type Asset = paths['/api/assets/{id}']['get']['responses'][200]['content']['application/json'];
type ErrorCode = components['schemas']['Error']['error']['code'];
type Jobs = paths['/api/jobs']['get']['parameters']['query'];
export const name: (asset: Asset) => string = (asset) => asset.name;
export const code: ErrorCode = 'NOT_FOUND';
export const query: Jobs = { status: 'failed', limit: 10 };
// @ts-expect-error: not an error code of the contract
export const wrong: ErrorCode = 'NOPE';
`,
    );
    const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = promisify(execFile);
    const result = await run(process.execPath, [
      tsc,
      '--noEmit',
      '--strict',
      '--allowImportingTsExtensions',
      '--module',
      'nodenext',
      '--target',
      'es2022',
      path.join(dir, 'use.ts'),
    ]).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(result.stdout).toBe('');
  });

  it('serves an API reference page rendered from the document, with no CDN and no script errors', { timeout: 60_000 }, async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const problems = recordProblems(page);
      const outside: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(server.url)) outside.push(request.url());
      });
      await page.goto(`${server.url}/api/docs`);
      await page.getByText('Stockroom bridge API').first().waitFor();
      await page.locator('.opblock').first().waitFor();
      const operations = Object.values<any>(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
      expect(await page.locator('.opblock').count()).toBe(operations);
      await page.getByText('/api/uploads/{id}').first().waitFor();
      expect(outside).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
