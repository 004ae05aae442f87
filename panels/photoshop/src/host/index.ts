export { PhotoshopHost, CACHE_ROOT, type PhotoshopHostModules } from './photoshop-host.ts';
export type { PhotoshopModule, UxpModule, UxpFs } from './modules.ts';
