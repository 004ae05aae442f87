import { describe, expect, it } from 'vitest';
import { buildManifest, contentSecurityPolicy } from '../scripts/manifest.ts';

describe('Figma manifest, built per deployment', () => {
  it('allows exactly the configured server (https and wss) and a local one while developing', () => {
    const manifest = buildManifest({ serverUrl: 'https://dam.example.com/', pluginId: '1234567890' });
    expect(manifest).toMatchObject({
      id: '1234567890',
      api: '1.0.0',
      editorType: ['figma'],
      documentAccess: 'dynamic-page',
      main: 'code.js',
      ui: 'ui.html',
      networkAccess: {
        allowedDomains: ['https://dam.example.com', 'wss://dam.example.com'],
        devAllowedDomains: ['http://localhost:7370', 'ws://localhost:7370'],
      },
    });
    expect(manifest.networkAccess.reasoning.length).toBeGreaterThan(20);
    expect(manifest.relaunchButtons).toContainEqual({ command: 'update', name: 'Update to latest', multipleSelection: true });
    expect(contentSecurityPolicy(manifest)).toContain('connect-src https://dam.example.com wss://dam.example.com http://localhost:7370 ws://localhost:7370');
  });

  it('keeps a port, names no public domain for a local server, and refuses IP literals for development', () => {
    expect(buildManifest({ serverUrl: 'https://dam.example.com:8443' }).networkAccess.allowedDomains).toEqual([
      'https://dam.example.com:8443',
      'wss://dam.example.com:8443',
    ]);
    expect(buildManifest({ serverUrl: 'http://localhost:7370' }).networkAccess.allowedDomains).toEqual(['none']);
    expect(() => buildManifest({ serverUrl: 'https://dam.example.com', devServerUrl: 'http://127.0.0.1:7370' })).toThrow(/localhost/);
    expect(() => buildManifest({ serverUrl: 'ftp://dam.example.com' })).toThrow(/https:\/\//);
  });
});
