declare const __STOCKROOM_SERVER_URL__: string;
declare const __PLUGIN_VERSION__: string;

/** The bridge this build talks to (the plugin is built per deployment; docs/figma.md). */
export const SERVER_URL: string = __STOCKROOM_SERVER_URL__.replace(/\/+$/, '');
export const PLUGIN_VERSION: string = __PLUGIN_VERSION__;
