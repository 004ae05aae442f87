/**
 * The UXP entry: builds the Premiere Pro host from the modules UXP provides at run time
 * (`premierepro`, `uxp` and UXP's own `fs` stay external in the bundle) and renders the panel.
 */
import { PanelApp, PanelController } from '@stockroom/panels-core';
import '@stockroom/panels-core/styles.css';
import * as fs from 'fs';
import * as premierepro from 'premierepro';
import { createRoot } from 'react-dom/client';
import * as uxp from 'uxp';
import { PremiereHost } from './host/premiere-host.ts';
import type { PremiereModule, UxpFs, UxpModule } from './host/modules.ts';
import { PLUGIN_VERSION } from './version.ts';

// UXP's typings describe `uxp` and `fs` only partly (see host/modules.ts).
const host = new PremiereHost({
  premierepro: premierepro as unknown as PremiereModule,
  uxp: uxp as unknown as UxpModule,
  fs: fs as unknown as UxpFs,
});
const controller = new PanelController({ host, pluginVersion: PLUGIN_VERSION, settings: window.localStorage });
const root = document.getElementById('root');
if (root) createRoot(root).render(<PanelApp controller={controller} />);
