/**
 * The demo host: a second listener that plays a third-party website, so the
 * demo embeds the widget across origins exactly like a real site would. It
 * serves `demoDir` statically; in `.html` files the token `%CHAT_SERVER%`
 * becomes the chat server's public URL.
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import express from 'express';
import type { Express } from 'express';

export const CHAT_SERVER_TOKEN = '%CHAT_SERVER%';

export function demoApp(demoDir: string, chatServerUrl: () => string): Express {
  const app = express();
  app.disable('x-powered-by');
  const root = resolve(demoDir);

  app.use((req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = decodePath(req.path.endsWith('/') ? `${req.path}index.html` : req.path);
    if (path === undefined || extname(path) !== '.html') return next();
    const file = join(root, path);
    const inside = relative(root, file);
    if (inside.startsWith('..') || isAbsolute(inside)) return next();
    readFile(file, 'utf8').then(
      (html) => {
        res.type('html').set('Cache-Control', 'no-cache').send(html.replaceAll(CHAT_SERVER_TOKEN, chatServerUrl()));
      },
      (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'EISDIR' ? next() : next(err)),
    );
  });
  app.use(express.static(root, { index: false }));
  return app;
}

function decodePath(path: string): string | undefined {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}
