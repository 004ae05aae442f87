export { PremiereHost, isProxyPath, type PremiereHostModules } from './premiere-host.ts';
export type { PremiereModule, UxpFs, UxpModule } from './modules.ts';
