/**
 * The HTTP routes a host app needs next to the sockets: `/healthz` and the
 * widget bundle `/chat-room.js`, which every origin may load with a script tag.
 */
import { basename, dirname } from 'node:path';
import { Router } from 'express';

/** Browsers and CDNs may reuse the bundle this long; the ETag makes revalidation cheap. */
const BUNDLE_MAX_AGE_MS = 300_000;

export function widgetRoutes(widgetBundle: string): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ ok: true });
  });

  router.get('/chat-room.js', (_req, res, next) => {
    res.set({
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    // With `root`, only the file name is checked for dot-segments: installs under ~/.npm or ~/.local must work.
    res.sendFile(
      basename(widgetBundle),
      { root: dirname(widgetBundle), maxAge: BUNDLE_MAX_AGE_MS, etag: true, lastModified: true, headers: { 'Content-Type': 'text/javascript; charset=utf-8' } },
      (err?: Error & { code?: string }) => {
        if (!err) return;
        if (err.code !== 'ENOENT' || res.headersSent) return next(err);
        res
          .status(503)
          .type('text/plain')
          .set('Cache-Control', 'no-store')
          .send('chat-room.js is not built yet: run `npm run build` and reload.\n');
      },
    );
  });

  return router;
}
