/**
 * The UXP entry: builds the Photoshop host from the modules UXP provides at run time
 * (`photoshop`, `uxp` and UXP's own `fs` stay external in the bundle) and renders the panel.
 */
import { PanelApp, PanelController } from '@stockroom/panels-core';
import '@stockroom/panels-core/styles.css';
import * as fs from 'fs';
import * as photoshop from 'photoshop';
import { createRoot } from 'react-dom/client';
import * as uxp from 'uxp';
import { PhotoshopHost } from './host/photoshop-host.ts';
import type { PhotoshopModule, UxpFs, UxpModule } from './host/modules.ts';
import { PLUGIN_VERSION } from './version.ts';

// The official typings describe these modules only partly (see host/modules.ts).
const host = new PhotoshopHost({
  photoshop: photoshop as unknown as PhotoshopModule,
  uxp: uxp as unknown as UxpModule,
  fs: fs as unknown as UxpFs,
});
const controller = new PanelController({ host, pluginVersion: PLUGIN_VERSION, settings: window.localStorage });
const root = document.getElementById('root');
if (root) createRoot(root).render(<PanelApp controller={controller} />);
