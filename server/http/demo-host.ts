/**
 * The demo host: a second listener that plays a third-party website, so the
 * demo embeds the widget across origins exactly like a real site would. It
 * serves `demoDir` statically; in `.html` files the token `%CHAT_SERVER%`
 * becomes the chat server's public URL; text files go out compressed. Pages go
 * out under a strict Content-Security-Policy (no inline script or style, no
 * eval), the policy a careful site would have: the widget must work under it.
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import express from 'express';
import type { Express } from 'express';
import { CompressedBodies } from './compressed-body.js';

export const CHAT_SERVER_TOKEN = '%CHAT_SERVER%';

/**
 * Text the demo host compresses (in memory, once per distinct body: pages are
 * templated per server, so precompressed files in demo/ could not be used as
 * they are). Everything else goes out as stored.
 */
const TEXT_TYPES: Partial<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function demoApp(demoDir: string, chatServerUrl: () => string): Express {
  const app = express();
  app.disable('x-powered-by');
  const root = resolve(demoDir);
  const bodies = new CompressedBodies();

  app.use((req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = decodePath(req.path.endsWith('/') ? `${req.path}index.html` : req.path);
    const type = path === undefined ? undefined : TEXT_TYPES[extname(path)];
    // Dot-files stay express.static's to refuse.
    if (path === undefined || type === undefined || path.split('/').some((s) => s.startsWith('.'))) return next();
    const file = join(root, path);
    const inside = relative(root, file);
    if (inside.startsWith('..') || isAbsolute(inside)) return next();
    readFile(file).then(
      (content) => {
        if (extname(path) !== '.html') return bodies.send(req, res.set('Cache-Control', 'no-cache'), content, type);
        const server = chatServerUrl();
        res.set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': demoPolicy(server) });
        return bodies.send(req, res, Buffer.from(content.toString('utf8').replaceAll(CHAT_SERVER_TOKEN, server)), type);
      },
      (err: NodeJS.ErrnoException) => (err.code === 'ENOENT' || err.code === 'EISDIR' ? next() : next(err)),
    ).catch(next);
  });
  app.use(express.static(root, { index: false }));
  return app;
}

/**
 * Scripts from this page and the chat server; sockets and uploads to the chat server only; nothing inline, no eval.
 * Images from the chat server (shared images), upload previews (`blob:`) and any https host (identified users'
 * avatars are URLs the site chooses).
 */
export function demoPolicy(chatServer: string): string {
  const origin = new URL(chatServer).origin;
  const socket = origin.replace(/^http/, 'ws');
  return [
    "default-src 'self'",
    `script-src 'self' ${origin}`,
    `connect-src 'self' ${origin} ${socket}`,
    "style-src 'self'",
    `img-src 'self' data: blob: ${origin} https:`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function decodePath(path: string): string | undefined {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}
