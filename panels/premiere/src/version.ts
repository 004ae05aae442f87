export const PLUGIN_VERSION = '0.1.0';
export const PLUGIN_ID = 'com.stockroom.premiere';
