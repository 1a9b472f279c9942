import { createRequire } from 'node:module';
import { express } from '@orderflow/platform';
import type { Router } from 'express';
import helmet from 'helmet';

/**
 * Redoc's standalone bundle, served from the installed package (the image's bundle keeps a copy
 * beside it, tools/bundle.mjs): the page needs nothing from another origin.
 */
const renderer = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');

// The renderer finds the <redoc> element itself: no inline script, which the CSP forbids.
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Orderflow order API reference</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <redoc spec-url="/openapi.json"></redoc>
    <script src="/docs/redoc.standalone.js"></script>
  </body>
</html>
`;

/**
 * The API's strict policy, and for this page alone workers from `blob:` URLs: Redoc runs its
 * search in one made so. Its footer's logo, from Redoc's CDN, is refused and hidden.
 */
const pagePolicy = helmet.contentSecurityPolicy({ directives: { workerSrc: ["'self'", 'blob:'] } });

/** `GET /docs`: the OpenAPI document of `GET /openapi.json`, rendered for people. */
export function apiReference(): Router {
  return express
    .Router()
    .get('/docs', pagePolicy, (_req, res) => {
      res.type('html').send(page);
    })
    .get('/docs/redoc.standalone.js', (_req, res) => {
      res.sendFile(renderer, { maxAge: '1h' });
    });
}
