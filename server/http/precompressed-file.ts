/**
 * Sends a built file in the best coding the request accepts, from the
 * `.br` / `.gz` siblings `npm run build` writes next to it. A missing sibling
 * (a server run on a hand-made dist/) falls back to the next coding and, last,
 * to the file itself: compressing a bundle on the fly would cost the event
 * loop far more than the bytes it saves on a local checkout.
 */
import { stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Request, Response } from 'express';
import { CODING_SUFFIX, acceptedCodings } from './content-coding.js';
import type { ContentCoding } from './content-coding.js';

export interface CachePolicy {
  maxAgeMs: number;
  /**
   * Never revalidated within max-age (`Cache-Control: immutable`): only for
   * files whose URL changes with their content, such as content-hashed chunks.
   */
  immutable?: boolean;
}

/** Calls `done` with an error (ENOENT when the file itself is missing) instead of answering. */
export function sendPrecompressed(
  req: Request,
  res: Response,
  file: string,
  contentType: string,
  cache: CachePolicy,
  done: (err: Error & { code?: string }) => void,
): void {
  res.vary('Accept-Encoding');
  pick(file, acceptedCodings(req.get('Accept-Encoding'))).then(
    ({ coding, stats }) => {
      if (coding !== 'identity') res.set('Content-Encoding', coding);
      // One tag per stored file, so a 304 never confirms a copy in another coding.
      res.set('ETag', `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}-${coding}"`);
      // With `root`, only the file name is checked for dot-segments: installs under ~/.npm or ~/.local must work.
      res.sendFile(
        basename(file) + CODING_SUFFIX[coding],
        {
          root: dirname(file),
          maxAge: cache.maxAgeMs,
          immutable: cache.immutable ?? false,
          etag: false,
          lastModified: true,
          headers: { 'Content-Type': contentType },
        },
        (err?: Error) => {
          if (!err) return;
          res.removeHeader('Content-Encoding');
          res.removeHeader('ETag');
          done(err);
        },
      );
    },
    done,
  );
}

async function pick(file: string, codings: ContentCoding[]): Promise<{ coding: ContentCoding; stats: Stats }> {
  for (const coding of codings) {
    const stats = await stat(file + CODING_SUFFIX[coding]).catch((err: NodeJS.ErrnoException) => {
      if (coding === 'identity' || err.code !== 'ENOENT') throw err;
      return undefined;
    });
    if (stats?.isFile()) return { coding, stats };
  }
  throw Object.assign(new Error(`${file} is not a file`), { code: 'ENOENT' });
}
