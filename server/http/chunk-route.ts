/**
 * `/chunks/<name>-<hash>.js`: the widget's content-hashed ES modules, which
 * the loader imports from any site. The current build's come from dist/chunks
 * (as `/chat-room.js` does, precompressed); an earlier build's, for pages
 * loaded before a deploy, from the archive in the store (see chunk-archive.ts).
 * Their URL changes with their content, so they are cached for a year; a
 * miss is never cached, as the name may exist after the next deploy.
 */
import { join } from 'node:path';
import type { Request, RequestHandler, Response } from 'express';
import type { ChunkArchive } from '../services/chunk-archive.js';
import { isChunkFile } from '../services/chunk-archive.js';
import type { WidgetChunk } from '../storage/store.js';
import { acceptedCodings } from './content-coding.js';
import { sendPrecompressed } from './precompressed-file.js';

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const YEAR_MS = 365 * 24 * 3600 * 1000;
/** What `sendFile` writes for `{ maxAge: YEAR_MS, immutable: true }`, written by hand for archived chunks. */
const IMMUTABLE = `public, max-age=${YEAR_MS / 1000}, immutable`;

/** Mount at `/chunks`: answers every GET and HEAD under it. */
export function chunkRoute(dir: string, archive: ChunkArchive): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // Imported by `import()` from other origins: module scripts need CORS.
    res.set({ 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
    // The raw path, never decoded: a valid name has nothing to decode, so `%2f` and friends simply do not match.
    const name = req.path.slice(1);
    if (!isChunkFile(name)) return notFound(res);
    sendPrecompressed(req, res, join(dir, name), JAVASCRIPT, { maxAgeMs: YEAR_MS, immutable: true }, (err) => {
      if (err.code !== 'ENOENT' || res.headersSent) return next(err);
      archive.find(name).then((chunk) => (chunk ? sendArchived(req, res, chunk) : notFound(res)), next);
    });
  };
}

function notFound(res: Response): void {
  res.status(404).type('text/plain').set('Cache-Control', 'no-store').send('No such chunk.\n');
}

/** The best stored coding; the name is content-hashed, so it with the coding is a strong ETag. */
function sendArchived(req: Request, res: Response, chunk: WidgetChunk): void {
  const coding = acceptedCodings(req.get('Accept-Encoding')).find((c) => c === 'identity' || chunk[c] !== undefined) ?? 'identity';
  res.vary('Accept-Encoding');
  res.set({ 'Content-Type': JAVASCRIPT, 'Cache-Control': IMMUTABLE, ETag: `"${chunk.name}-${coding}"` });
  if (coding !== 'identity') res.set('Content-Encoding', coding);
  // res.send answers 304 itself when the request is fresh against this ETag, and HEAD without a body.
  res.send(coding === 'identity' ? chunk.body : chunk[coding]);
}
