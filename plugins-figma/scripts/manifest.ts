export const RELAUNCH_BUTTONS = [
  { command: 'update', name: 'Update to latest', multipleSelection: true },
  { command: 'open', name: 'Open Stockroom' },
] as const;

export interface FigmaManifest {
  name: string;
  id: string;
  api: '1.0.0';
  main: string;
  ui: string;
  editorType: ['figma'];
  documentAccess: 'dynamic-page';
  networkAccess: { allowedDomains: string[]; devAllowedDomains: string[]; reasoning: string };
  relaunchButtons: Array<{ command: string; name: string; multipleSelection?: boolean }>;
}

/** http(s)://host and the matching ws(s)://host: the bridge's REST calls and its WebSocket. */
function domainsOf(url: string): string[] {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${url}: the server address must start with https:// (or http:// for a local server)`);
  const origin = `${u.protocol}//${u.host}`;
  return [origin, `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}`];
}

const isLocal = (url: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);

/**
 * The manifest of one deployment: the plugin may reach exactly the configured bridge
 * (allowedDomains), and a bridge on this machine while developing (devAllowedDomains,
 * which Figma honours only for plugins run from a local manifest).
 */
export function buildManifest(options: { serverUrl: string; devServerUrl?: string; pluginId?: string }): FigmaManifest {
  const dev = options.devServerUrl ?? 'http://localhost:7370';
  if (new URL(dev).hostname !== 'localhost') throw new Error(`${dev}: Figma wants "localhost" in devAllowedDomains, not an IP address`);
  return {
    name: 'Stockroom brand assets',
    id: options.pluginId ?? 'stockroom-brand-assets',
    api: '1.0.0',
    main: 'code.js',
    ui: 'ui.html',
    editorType: ['figma'],
    documentAccess: 'dynamic-page',
    networkAccess: {
      allowedDomains: isLocal(options.serverUrl) ? ['none'] : domainsOf(options.serverUrl),
      devAllowedDomains: domainsOf(dev),
      reasoning:
        'Stockroom is your team’s asset library: the plugin signs in to your Stockroom server, searches its brand kits and downloads the assets you place.',
    },
    relaunchButtons: RELAUNCH_BUTTONS.map((b) => ({ ...b })),
  };
}

/** The Content-Security-Policy Figma gives the UI iframe for this manifest's network access. */
export function contentSecurityPolicy(manifest: FigmaManifest): string {
  const domains = [...manifest.networkAccess.allowedDomains, ...manifest.networkAccess.devAllowedDomains].filter((d) => d !== 'none');
  const list = domains.join(' ');
  return [
    "default-src 'none'",
    "script-src 'unsafe-inline'",
    "style-src 'unsafe-inline'",
    `img-src data: blob: ${list}`,
    `connect-src ${list}`,
    'font-src data:',
  ].join('; ');
}
