/**
 * The standalone server: an Express app and HTTP listener with chat attached,
 * plus the optional demo host on a second port. The CLI is a thin wrapper.
 */
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import express from 'express';
import type { Express } from 'express';
import { attachChatServer } from './attach.js';
import type { AttachOptions } from './attach.js';
import { demoApp } from './http/demo-host.js';
import { homePage } from './http/home-page.js';
import { securityHeaders } from './http/security-headers.js';
import type { EdgeMetrics } from './metrics.js';
import { DEFAULT_DEMO_DIR } from './paths.js';
import type { SiteRegistry } from './services/sites.js';
import type { ChatIo } from './socket-types.js';
import type { ChatStore } from './storage/store.js';

export interface ChatServerOptions extends Omit<AttachOptions, 'app'> {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Port of the demo host (a second origin playing a third-party site); 0 picks a free one; `false` (default) runs none. */
  demoPort?: number | false;
  /** The URL browsers reach this server at (behind a proxy, say). Default `http://<host>:<port>`. */
  publicUrl?: string;
  /** Files of the demo host. Default `<package>/demo`. */
  demoDir?: string;
}

export interface ChatServer {
  app: Express;
  io: ChatIo;
  httpServer: HttpServer;
  store: ChatStore;
  sites: SiteRegistry;
  /** What the edge refused so far (unknown events, invalid payloads, rate limits, handshakes). */
  metrics: EdgeMetrics;
  /** Starts both listeners; answers the public URLs. */
  listen(): Promise<{ url: string; demoUrl?: string }>;
  /** Stops accepting, disconnects every socket, closes the demo host and the store. */
  close(): Promise<void>;
}

export function createChatServer(options: ChatServerOptions = {}): ChatServer {
  const host = options.host ?? '127.0.0.1';
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  const httpServer = createServer(app);
  const chat = attachChatServer(httpServer, { ...options, app });
  // Upgraded (WebSocket) connections are not the HTTP server's any more: tracked here so close() can end them.
  const sockets = new Set<Socket>();
  httpServer.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  let url: string | undefined;
  let demoUrl: string | undefined;
  let demoServer: HttpServer | undefined;

  app.get('/', homePage(() => demoUrl));

  return {
    app,
    io: chat.io,
    httpServer,
    store: chat.store,
    sites: chat.sites,
    metrics: chat.metrics,

    async listen() {
      await chat.ready;
      const port = await listenOn(httpServer, options.port ?? 0, host);
      url = trimSlash(options.publicUrl ?? originOf(host, port));
      if (options.demoPort !== undefined && options.demoPort !== false) {
        demoServer = createServer(demoApp(options.demoDir ?? DEFAULT_DEMO_DIR, () => url ?? ''));
        demoUrl = originOf(host, await listenOn(demoServer, options.demoPort, host));
      }
      chat.logger.debug('http listening', { url, demoUrl });
      return demoUrl === undefined ? { url } : { url, demoUrl };
    },

    async close() {
      const closing = [httpServer, demoServer].filter((s) => s?.listening).map((s) => closeServer(s!));
      await chat.close();
      for (const server of [httpServer, demoServer]) server?.closeAllConnections();
      // A WebSocket whose peer is gone (half-open) waits 30 s for a closing frame that never comes: cut it.
      await closeSockets(sockets, SOCKET_CLOSE_GRACE_MS);
      await Promise.all(closing);
    },
  };
}

/** Lets live clients receive the closing frame; a peer that has not closed by then is not there. */
const SOCKET_CLOSE_GRACE_MS = 1000;

/** Waits up to `graceMs` for `sockets` to close, then destroys the rest. */
async function closeSockets(sockets: Set<Socket>, graceMs: number): Promise<void> {
  if (sockets.size === 0) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, graceMs);
    const check = (): void => {
      if (sockets.size > 0) return;
      clearTimeout(timer);
      resolve();
    };
    for (const socket of sockets) socket.once('close', () => queueMicrotask(check));
  });
  for (const socket of sockets) socket.destroy();
}

function listenOn(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
}

/** A browsable origin for a bind address: wildcard binds are reached as localhost. */
function originOf(host: string, port: number): string {
  const name = host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `http://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

function trimSlash(value: string): string {
  return value.replace(/\/+$/, '');
}
