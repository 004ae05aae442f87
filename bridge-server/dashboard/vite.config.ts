import { defineConfig } from 'vite';

/** The bridge the dev server forwards API, sign-in and WebSocket traffic to. */
const bridge = process.env.STOCKROOM_URL ?? 'http://127.0.0.1:7370';

export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  // @vitejs/plugin-react is not needed: the built-in transform handles JSX with the automatic runtime.
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    // Not the default 'assets': /admin/assets/<id> is a page of the app.
    assetsDir: 'static',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      // The admin app, and the public page of share links (served at /s/<secret>).
      input: { main: `${import.meta.dirname}/index.html`, share: `${import.meta.dirname}/share.html` },
      // React Query marks its modules "use client" for server-component bundlers; meaningless in this SPA.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': bridge,
      '/auth': bridge,
      '/ws': { target: bridge.replace(/^http/, 'ws'), ws: true },
    },
  },
});
