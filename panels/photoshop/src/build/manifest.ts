import { PLUGIN_ID, PLUGIN_VERSION } from '../version.ts';

/** UXP manifest v5 for the panel; the network permission lists the servers it may talk to. */
export function buildManifest(serverUrls: string[]) {
  const domains = [...new Set(serverUrls.flatMap(domainsFor))];
  const panelIcon = (theme: string[], file: string) => ({ width: 23, height: 23, path: `icons/${file}`, scale: [1, 2], theme });
  return {
    manifestVersion: 5,
    id: PLUGIN_ID,
    name: 'Stockroom',
    version: PLUGIN_VERSION,
    main: 'index.html',
    host: [{ app: 'PS', minVersion: '24.0.0', data: { apiVersion: 2 } }],
    entrypoints: [
      {
        type: 'panel',
        id: 'stockroomPanel',
        label: { default: 'Stockroom' },
        minimumSize: { width: 240, height: 320 },
        maximumSize: { width: 2000, height: 4000 },
        preferredDockedSize: { width: 300, height: 560 },
        preferredFloatingSize: { width: 340, height: 620 },
        icons: [panelIcon(['darkest', 'dark', 'medium'], 'panel-dark.png'), panelIcon(['lightest', 'light'], 'panel-light.png')],
      },
    ],
    icons: [{ width: 48, height: 48, path: 'icons/plugin.png', scale: [1, 2], theme: ['all'], species: ['pluginList'] }],
    requiredPermissions: {
      network: { domains },
      // The cache and check-in copies live in the plugin's own data and temp folders.
      localFileSystem: 'plugin',
      // Device sign-in opens the server's approval page in the system browser (shell.openExternal).
      launchProcess: { schemes: ['http', 'https'], extensions: [] },
      allowCodeGenerationFromStrings: false,
    },
  };
}

/** http(s) for requests and downloads, ws(s) for the live connection. */
export function domainsFor(serverUrl: string): string[] {
  const url = new URL(serverUrl);
  const secure = url.protocol === 'https:';
  return [`${secure ? 'https' : 'http'}://${url.host}`, `${secure ? 'wss' : 'ws'}://${url.host}`];
}
