import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';
import helmet from 'helmet';

/** Swagger UI's own files (the npm package), served from this server: no CDN. */
const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Stockroom API reference</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
</head>
<body>
  <div id="reference"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/start.js"></script>
</body>
</html>
`;

// A file of its own rather than an inline script, so the page's CSP allows only this server's scripts.
const START = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#reference', deepLinking: true, tryItOutEnabled: false });\n`;

/** GET /api/docs: the API reference, rendered by Swagger UI from /api/openapi.json. */
export function apiDocsRouter(): Router {
  const router = express.Router();
  router.use(
    '/api/docs',
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  router.get('/api/docs', (_req, res) => void res.type('html').setHeader('Cache-Control', 'no-cache').send(PAGE));
  router.get('/api/docs/start.js', (_req, res) => void res.type('js').send(START));
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png']) {
    router.get(`/api/docs/${file}`, (_req, res) => res.sendFile(path.join(SWAGGER_UI_DIR, file), { maxAge: '1d', dotfiles: 'allow' }));
  }
  return router;
}
