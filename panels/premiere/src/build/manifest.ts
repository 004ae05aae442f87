import { domainsFor } from '@stockroom/panel-photoshop/build';
import { PLUGIN_ID, PLUGIN_VERSION } from '../version.ts';

/** UXP manifest v5 for the Premiere Pro panel; the network permission lists the servers it may talk to. */
export function buildManifest(serverUrls: string[]) {
  const domains = [...new Set(serverUrls.flatMap(domainsFor))];
  const panelIcon = (theme: string[], file: string) => ({ width: 23, height: 23, path: `icons/${file}`, scale: [1, 2], theme });
  return {
    manifestVersion: 5,
    id: PLUGIN_ID,
    name: 'Stockroom',
    version: PLUGIN_VERSION,
    main: 'index.html',
    // One host object (not an array): a .ccx for Premiere Pro is refused otherwise.
    host: { app: 'premierepro', minVersion: '25.6.0' },
    entrypoints: [
      {
        type: 'panel',
        id: 'stockroomPanel',
        label: { default: 'Stockroom' },
        minimumSize: { width: 240, height: 320 },
        maximumSize: { width: 2000, height: 4000 },
        preferredDockedSize: { width: 320, height: 600 },
        preferredFloatingSize: { width: 360, height: 640 },
        icons: [panelIcon(['darkest', 'dark', 'medium'], 'panel-dark.png'), panelIcon(['lightest', 'light'], 'panel-light.png')],
      },
    ],
    icons: [{ width: 48, height: 48, path: 'icons/plugin.png', scale: [1, 2], theme: ['all'], species: ['pluginList'] }],
    requiredPermissions: {
      network: { domains },
      // The media folder is wherever the editor chooses, and project files live anywhere.
      localFileSystem: 'fullAccess',
      // Device sign-in opens the server's approval page in the system browser (shell.openExternal).
      launchProcess: { schemes: ['http', 'https'], extensions: [] },
      allowCodeGenerationFromStrings: false,
    },
  };
}
