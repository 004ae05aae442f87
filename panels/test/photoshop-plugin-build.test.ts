import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlugin, type BuildResult } from '@stockroom/panel-photoshop/build';
import { checkManifest, manifestFiles, manifestV5Schema } from '@stockroom/panel-photoshop/build';
import { scanPluginFolder } from '@stockroom/panel-photoshop/build';

let outDir: string;
let built: BuildResult;
let manifest: Record<string, any>;

beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-ps-build-'));
  built = await buildPlugin({ outDir, serverUrls: ['https://dam.example.com', 'http://localhost:7370'] });
  manifest = JSON.parse(readFileSync(path.join(built.pluginDir, 'manifest.json'), 'utf8'));
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the built Photoshop plugin', () => {
  it('has a manifest v5 for Photoshop that passes the check, with the server’s domains and cache access', () => {
    expect(checkManifest(manifest)).toEqual([]);
    expect(manifest.manifestVersion).toBe(5);
    expect(manifest.host).toEqual([{ app: 'PS', minVersion: '24.0.0', data: { apiVersion: 2 } }]);
    expect(manifest.requiredPermissions.network.domains).toEqual([
      'https://dam.example.com',
      'wss://dam.example.com',
      'http://localhost:7370',
      'ws://localhost:7370',
    ]);
    expect(manifest.requiredPermissions.localFileSystem).toBe('plugin');
    // Device sign-in opens the approval page in the browser; nothing else may be launched.
    expect(manifest.requiredPermissions.launchProcess).toEqual({ schemes: ['http', 'https'], extensions: [] });
    expect(manifest.entrypoints[0]).toMatchObject({ type: 'panel', id: 'stockroomPanel', minimumSize: { width: 240, height: 320 } });
  });

  it('contains every file the manifest names; icons are PNGs of the declared size at 1x and 2x', async () => {
    const files = manifestFiles(manifestV5Schema.parse(manifest));
    expect(files).toContain('icons/panel-dark@2x.png');
    for (const file of files) expect(existsSync(path.join(built.pluginDir, file)), file).toBe(true);
    const oneX = await sharp(path.join(built.pluginDir, 'icons/panel-dark.png')).metadata();
    const twoX = await sharp(path.join(built.pluginDir, 'icons/panel-dark@2x.png')).metadata();
    expect([oneX.format, oneX.width, oneX.height]).toEqual(['png', 23, 23]);
    expect([twoX.format, twoX.width, twoX.height]).toEqual(['png', 46, 46]);
  });

  it('contains nothing UXP cannot load: only UXP modules are required, no ES modules, no CSS grid', () => {
    expect(scanPluginFolder(built.pluginDir)).toEqual([]);
    const js = readFileSync(path.join(built.pluginDir, 'index.js'), 'utf8');
    const required = new Set([...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]));
    expect([...required].sort()).toEqual(['fs', 'photoshop', 'uxp']);
    const html = readFileSync(path.join(built.pluginDir, 'index.html'), 'utf8');
    expect(html).toContain('<script src="index.js"></script>');
    expect(readFileSync(path.join(built.pluginDir, 'index.css'), 'utf8')).toContain('flex-wrap');
  });

  it('packages the folder as a .ccx zip with the same files', () => {
    const entries = unzipSync(readFileSync(built.ccxPath));
    expect(Object.keys(entries).sort()).toEqual(
      [
        'icons/panel-dark.png',
        'icons/panel-dark@2x.png',
        'icons/panel-light.png',
        'icons/panel-light@2x.png',
        'icons/plugin.png',
        'icons/plugin@2x.png',
        'index.css',
        'index.html',
        'index.js',
        'manifest.json',
      ].sort(),
    );
    expect(Buffer.from(entries['index.js']!).equals(readFileSync(path.join(built.pluginDir, 'index.js')))).toBe(true);
  });
});

describe('the checks themselves', () => {
  const broken: Array<[string, (m: Record<string, any>) => void, RegExp]> = [
    ['another host app', (m) => (m.host[0].app = 'ID'), /host/],
    ['a Photoshop too old for manifest v5', (m) => (m.host[0].minVersion = '22.0.0'), /23\.3\.0/],
    ['manifest v4', (m) => (m.manifestVersion = 4), /manifestVersion/],
    ['no entrypoints', (m) => (m.entrypoints = []), /entrypoints/],
    ['a panel without sizes', (m) => delete m.entrypoints[0].minimumSize, /minimumSize/],
    ['a preferred size above the maximum', (m) => (m.entrypoints[0].preferredDockedSize.width = 5000), /larger than maximumSize/],
    ['a network domain without scheme', (m) => (m.requiredPermissions.network.domains = ['dam.example.com']), /domains/],
    ['no file system permission', (m) => delete m.requiredPermissions.localFileSystem, /localFileSystem/],
    ['an unknown key', (m) => (m.mainn = 'index.html'), /mainn|Unrecognized/],
    ['a version that is not x.y.z', (m) => (m.version = '1.0'), /version/],
  ];
  for (const [what, breakIt, expected] of broken) {
    it(`rejects a manifest with ${what}`, () => {
      const copy = structuredClone(manifest);
      breakIt(copy);
      const problems = checkManifest(copy);
      expect(problems.join('\n')).toMatch(expected);
    });
  }

  it('finds Node built-ins, ES modules and CSS grid in a plugin folder', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stockroom-bad-plugin-'));
    try {
      mkdirSync(path.join(dir, 'lib'));
      writeFileSync(path.join(dir, 'index.js'), 'const fs = require("fs"); const p = require("path"); const c = require("node:crypto");');
      writeFileSync(path.join(dir, 'lib', 'esm.js'), 'import { x } from "./x.js";\nexport const y = x;');
      writeFileSync(path.join(dir, 'index.css'), '.a { display: grid; grid-template-columns: 1fr 1fr; }\n.b { display: flex; gap: 4px; }');
      writeFileSync(path.join(dir, 'index.html'), '<script type="module" src="/index.js"></script>');
      const problems = scanPluginFolder(dir).join('\n');
      expect(problems).toContain('require("path") is not a UXP module');
      expect(problems).toContain('require("node:crypto") is not a UXP module');
      expect(problems).not.toContain('require("fs")');
      expect(problems).toContain('lib/esm.js: ES module syntax');
      expect(problems).toContain('display: grid');
      expect(problems).toContain('gap');
      expect(problems).toContain('<script type="module">');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
