/**
 * The HTTP routes a host app needs next to the sockets: `/healthz` and the
 * widget bundle `/chat-room.js`, which every origin may load with a script tag.
 */
import { Router } from 'express';
import { sendPrecompressed } from './precompressed-file.js';

/**
 * Browsers and CDNs may reuse the bundle this long, so a deploy reaches visitors
 * within minutes; the ETag makes revalidation cheap. (Content-hashed files will
 * pass `{ immutable: true }` with a year instead.)
 */
const BUNDLE_MAX_AGE_MS = 300_000;

export function widgetRoutes(widgetBundle: string): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true });
  });

  router.get('/chat-room.js', (req, res, next) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    sendPrecompressed(req, res, widgetBundle, 'text/javascript; charset=utf-8', { maxAgeMs: BUNDLE_MAX_AGE_MS }, (err) => {
      if (err.code !== 'ENOENT' || res.headersSent) return next(err);
      res
        .status(503)
        .type('text/plain')
        .set('Cache-Control', 'no-store')
        .send('chat-room.js is not built yet: run `npm run build` and reload.\n');
    });
  });

  return router;
}
