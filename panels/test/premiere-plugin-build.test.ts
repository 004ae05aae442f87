import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manifestFiles, scanPluginFolder } from '@stockroom/panel-photoshop/build';
import { buildPlugin, checkPremiereManifest, PREMIERE_UXP_MODULES, premiereManifestSchema, type BuildResult } from '@stockroom/panel-premiere/build';

let outDir: string;
let built: BuildResult;
let manifest: Record<string, any>;
const scan = (dir: string) => scanPluginFolder(dir, { modules: PREMIERE_UXP_MODULES, missingGlobals: ['TextDecoder'] });

beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-ppro-build-'));
  built = await buildPlugin({ outDir, serverUrls: ['https://dam.example.com', 'http://localhost:7370'] });
  manifest = JSON.parse(readFileSync(path.join(built.pluginDir, 'manifest.json'), 'utf8'));
}, 120_000);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the built Premiere Pro plugin', () => {
  it('has a manifest v5 with one premierepro host object (25.6.0), the server’s domains, full file access and the browser for sign-in', () => {
    expect(checkPremiereManifest(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.host).toEqual({ app: 'premierepro', minVersion: '25.6.0' });
    expect(manifest.requiredPermissions.network.domains).toEqual([
      'https://dam.example.com',
      'wss://dam.example.com',
      'http://localhost:7370',
      'ws://localhost:7370',
    ]);
    expect(manifest.requiredPermissions.localFileSystem).toBe('fullAccess');
    expect(manifest.requiredPermissions.launchProcess).toEqual({ schemes: ['http', 'https'], extensions: [] });
    expect(manifest.entrypoints[0]).toMatchObject({ type: 'panel', id: 'stockroomPanel', minimumSize: { width: 240, height: 320 } });
    for (const file of manifestFiles(premiereManifestSchema.parse(manifest))) expect(existsSync(path.join(built.pluginDir, file)), file).toBe(true);
  });

  it('contains nothing UXP cannot load: only premierepro/uxp/fs required, no ES modules, no TextDecoder, no CSS grid', () => {
    expect(scan(built.pluginDir)).toEqual([]);
    const js = readFileSync(path.join(built.pluginDir, 'index.js'), 'utf8');
    const required = new Set([...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    expect([...required].sort()).toEqual(['fs', 'premierepro', 'uxp']);
    // Nothing of the fake host (or its MP4 reader) ends up in the plugin.
    expect(js).not.toContain('FakePremiere');
    expect(js).not.toContain('mp4box');
  });

  it('packages the folder as a .ccx zip with the same files', () => {
    const entries = unzipSync(readFileSync(built.ccxPath));
    expect(built.ccxPath).toMatch(/com\.stockroom\.premiere_\d+\.\d+\.\d+_PPRO\.ccx$/);
    expect(Object.keys(entries)).toContain('manifest.json');
    expect(Buffer.from(entries['index.js']!).equals(readFileSync(path.join(built.pluginDir, 'index.js')))).toBe(true);
  });
});

describe('the Premiere checks themselves', () => {
  const broken: Array<[string, (m: Record<string, any>) => void, RegExp]> = [
    ['the host as an array', (m) => (m.host = [m.host]), /host/],
    ['Photoshop as host', (m) => (m.host.app = 'PS'), /host\.app/],
    ['a Premiere Pro older than 25.6', (m) => (m.host.minVersion = '25.1.0'), /25\.6\.0/],
    ['manifest v4', (m) => (m.manifestVersion = 4), /manifestVersion/],
    ['plugin-only file access', (m) => (m.requiredPermissions.localFileSystem = 'plugin'), /fullAccess/],
    ['no browser for sign-in', (m) => delete m.requiredPermissions.launchProcess, /launchProcess/],
  ];
  for (const [what, breakIt, expected] of broken) {
    it(`rejects a manifest with ${what}`, () => {
      const copy = structuredClone(manifest);
      breakIt(copy);
      expect(checkPremiereManifest(copy).join('\n')).toMatch(expected);
    });
  }

  it('finds TextDecoder, Node built-ins and CSS grid, and lets a guarded feature test pass', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-bad-ppro-'));
    try {
      writeFileSync(path.join(dir, 'index.js'), 'const p = require("premierepro"); const o = require("path"); const t = new TextDecoder().decode(x);');
      writeFileSync(path.join(dir, 'ok.js'), 'var d = typeof TextDecoder == "function" ? new TextDecoder("utf-8") : void 0;');
      writeFileSync(path.join(dir, 'index.css'), '.a { display: grid; }');
      const problems = scan(dir).join('\n');
      expect(problems).toContain('index.js: uses TextDecoder');
      expect(problems).not.toContain('ok.js');
      expect(problems).toContain('require("path") is not a UXP module');
      expect(problems).not.toContain('require("premierepro")');
      expect(problems).toContain('display: grid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
