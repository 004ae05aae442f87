import { defineConfig } from 'vite';
import { previewConfig } from './preview/config.ts';

// `pnpm --filter @stockroom/panel-premiere preview`; STOCKROOM_SERVER_URL is the bridge to proxy.
export default defineConfig(previewConfig(process.env.STOCKROOM_SERVER_URL ?? 'http://127.0.0.1:7370'));
