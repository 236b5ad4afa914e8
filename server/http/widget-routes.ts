/**
 * The HTTP routes a host app needs next to the sockets: `/healthz`, the
 * widget's loader `/chat-room.js`, which every origin may load with a script
 * tag, and the chunks it imports, `/chunks/…`.
 */
import { Router } from 'express';
import type { ChunkArchive } from '../services/chunk-archive.js';
import { chunkRoute } from './chunk-route.js';
import { sendPrecompressed } from './precompressed-file.js';

/**
 * Browsers and CDNs may reuse the loader this long, so a deploy reaches visitors
 * within minutes; the ETag makes revalidation cheap. (The content-hashed chunks
 * are cached for a year instead: see chunk-route.ts.)
 */
const BUNDLE_MAX_AGE_MS = 300_000;

export interface WidgetFiles {
  /** The loader, `dist/chat-room.js`. */
  bundle: string;
  /** The current build's chunks, `dist/chunks`. */
  chunks: string;
  /** Earlier builds' chunks. */
  archive: ChunkArchive;
}

export function widgetRoutes({ bundle: widgetBundle, chunks, archive }: WidgetFiles): Router {
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

  router.use('/chunks', chunkRoute(chunks, archive));

  return router;
}
