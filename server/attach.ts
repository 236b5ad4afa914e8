/**
 * Chat on an existing HTTP server: Socket.IO with one namespace per site,
 * storage, presence and the widget routes. `createChatServer` builds on this;
 * an app that already has an Express server mounts chat with it directly.
 */
import type { Server as HttpServer } from 'node:http';
import type { Express, Router } from 'express';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { MAX_PAYLOAD_BYTES, PRESENCE_GRACE_MS, PRESENCE_LIST_MAX, PROTOCOL_VERSION, UNVERSIONED_PROTOCOL } from '../protocol/index.js';
import { join } from 'node:path';
import { adminApi } from './http/admin-api.js';
import { mediaRoutes } from './http/media-routes.js';
import { ImageCodec } from './media/image-codec.js';
import { DirectoryMediaFiles } from './media/media-files.js';
import type { MediaFiles } from './media/media-files.js';
import { MediaService } from './media/media-service.js';
import { adminTokenProblem } from './http/admin-auth.js';
import { widgetRoutes } from './http/widget-routes.js';
import { createLogger } from './logger.js';
import type { LogLevel, Logger } from './logger.js';
import { EdgeMetrics } from './metrics.js';
import { DEFAULT_WIDGET_BUNDLE, chunksDirOf } from './paths.js';
import { MemoryFlushGate, RedisFlushGate } from './presence/flush-gates.js';
import { MemoryPresence } from './presence/memory-presence.js';
import { MemoryTyping } from './presence/memory-typing.js';
import type { PresenceStore } from './presence/presence.js';
import { RedisPresence } from './presence/redis-presence.js';
import { RedisTyping } from './presence/redis-typing.js';
import { proxyHops as toProxyHops } from './security/client-ip.js';
import { handshakeGuard } from './security/handshake-guard.js';
import { RateLimits } from './security/rate-limits.js';
import type { RateLimitOptions } from './security/rate-limits.js';
import { BanService } from './services/bans.js';
import { ChunkArchive } from './services/chunk-archive.js';
import type { Services } from './services/index.js';
import { MessageChangeService } from './services/message-changes.js';
import { MessageService } from './services/messages.js';
import { ModerationService } from './services/moderation.js';
import { PresenceService } from './services/presence-service.js';
import { PrivacyService } from './services/privacy.js';
import { startRetention } from './services/retention.js';
import { TypingService } from './services/typing-service.js';
import { SessionCredentials } from './services/sessions.js';
import { DEMO_SITE_ID, SiteRegistry } from './services/sites.js';
import { UserService } from './services/users.js';
import { siteNamespaces } from './sites-namespace.js';
import type { ChatIo } from './socket-types.js';
import { SqliteStore } from './storage/sqlite-store.js';
import type { ChatStore } from './storage/store.js';

export interface AttachOptions {
  /** Where the SQLite file lives (created when missing). Default `./data`. Ignored with `store`. */
  dataDir?: string;
  /** A store to use instead of SQLite. The caller owns it: `close()` leaves it open. */
  store?: ChatStore;
  /** Who is in which room. Default: in this process's memory (right for a single server). */
  presence?: PresenceStore;
  /** Default `info`. Ignored with `logger`. */
  logLevel?: LogLevel;
  logger?: Logger;
  /** The widget bundle (the loader) served at `/chat-room.js`. Default `<package>/dist/chat-room.js`. */
  widgetBundle?: string;
  /**
   * The loader's content-hashed chunks, served at `/chunks/<file>` and recorded
   * in the store at start, so pages of this build keep finding them after the
   * next deploys. Default: `chunks` next to `widgetBundle` (`<package>/dist/chunks`).
   */
  widgetChunks?: string;
  /** How long a member whose last socket left stays listed before "left" is announced. Default `PRESENCE_GRACE_MS`. */
  presenceGraceMs?: number;
  /**
   * The big-room size: rooms of at most this many members get the member list
   * in every presence update, joins and leaves by name, rename notices and
   * per-user typing; bigger rooms get counts, `presence:list` and typing
   * summaries. 1 to `PRESENCE_LIST_MAX` (the default).
   */
  bigRoomSize?: number;
  /** When given, the widget routes (`/healthz`, `/chat-room.js`, `/chunks/…`) and the admin API (`/api/…`) are mounted on it. */
  app?: Express;
  /** Overrides of `DEFAULT_RATE_LIMITS` (a benchmark raises them; tests lower them). */
  rateLimits?: Partial<RateLimitOptions>;
  /**
   * Behind reverse proxies: how many (as Express counts `trust proxy` hops);
   * the client's address is the `X-Forwarded-For` entry that many from the
   * right. `true` is 1 hop. Also set as Express's `trust proxy` on `app`, so
   * `req.ip` and `req.secure` agree. Default 0: the header is ignored.
   */
  trustProxy?: number | boolean;
  /** Bearer token of the server admin for `/api/sites…`, at least 32 characters; without one, site management over HTTP is off (403). */
  adminToken?: string;
  /**
   * Register the `demo` site (localhost origins) at start, for trying things
   * out. Default: true, unless NODE_ENV is `production`. Without it, a demo
   * site made earlier is left in place, with a warning.
   */
  demoSite?: boolean;
  /**
   * Several nodes: broadcasts through Redis (`@socket.io/redis-streams-adapter`),
   * presence and rate limits in Redis, bans told to every node. Pair it with a
   * store every node shares (PostgreSQL). The caller owns the client.
   */
  cluster?: { redis: Redis; /** Key prefix, so several deployments (or tests) share one Redis. Default `chat-room:`. */ prefix?: string };
  /**
   * The oldest protocol version (`PROTOCOL_VERSION`, sent by clients as
   * `auth.protocol`; 1 when missing) a client may speak; older ones are
   * refused with `client_outdated`, and the widget reloads its page when the
   * visitor is not busy. Raise it after a breaking protocol change. Default 1:
   * every client.
   */
  minClientProtocol?: number;
  /**
   * Where uploaded images live. Default: `<dataDir>/media` (one node). A
   * cluster passes one every node reads: `PostgresStore.mediaFiles()` or a
   * `DirectoryMediaFiles` on a shared mount.
   */
  mediaFiles?: MediaFiles;
  /** How often uploads no message keeps are removed (with their files). Default 10 minutes. */
  mediaSweepIntervalMs?: number;
  /** How often site retention runs after the run at start. Default `RETENTION_INTERVAL_MS` (an hour); tests shorten it. */
  retentionIntervalMs?: number;
}

export interface ChatAttachment {
  io: ChatIo;
  store: ChatStore;
  sites: SiteRegistry;
  /** `/healthz`, `/chat-room.js`, `/chunks/…` and `/api/…`, to mount on any Express app (already mounted on `options.app`). */
  routes: Router;
  logger: Logger;
  /** What the edge refused so far: unknown events, invalid payloads, rate-limited events, refused handshakes. */
  metrics: EdgeMetrics;
  /** Settles once the store is ready (and the `demo` site exists, with `demoSite`); sockets are accepted only after. */
  ready: Promise<void>;
  /** Disconnects every socket and closes the store it opened. The HTTP server is left to its owner. */
  close(): Promise<void>;
}

/**
 * Engine.IO heartbeat: the server drops a silent peer within 15 s (its members
 * then leave presence after the grace period); proxies must allow idle times
 * above that. The widget's own `session:ping` notices a dead link from its side
 * faster (see PING_INTERVAL_MS in protocol/limits.ts).
 */
const ENGINE_PING_INTERVAL_MS = 10_000;
const ENGINE_PING_TIMEOUT_MS = 5_000;

/**
 * Mounts chat-room on `httpServer` (Socket.IO at `/socket.io`, namespaces
 * `/s/<siteId>`) and, when `options.app` is given, its routes on that app:
 *
 * ```ts
 * const app = express();
 * const server = http.createServer(app);
 * const chat = attachChatServer(server, { app, dataDir: './data' });
 * await chat.ready;
 * server.listen(3000);
 * ```
 */
export function attachChatServer(httpServer: HttpServer, options: AttachOptions = {}): ChatAttachment {
  const tokenProblem = options.adminToken === undefined ? undefined : adminTokenProblem(options.adminToken);
  if (tokenProblem) throw new Error(tokenProblem);
  const minClientProtocol = options.minClientProtocol ?? UNVERSIONED_PROTOCOL;
  if (!Number.isSafeInteger(minClientProtocol) || minClientProtocol < 1) {
    throw new Error(`minClientProtocol must be a whole number of 1 or more, got ${minClientProtocol}`);
  }
  const bigRoomSize = options.bigRoomSize ?? PRESENCE_LIST_MAX;
  if (!Number.isSafeInteger(bigRoomSize) || bigRoomSize < 1 || bigRoomSize > PRESENCE_LIST_MAX) {
    throw new Error(`bigRoomSize must be a whole number from 1 to ${PRESENCE_LIST_MAX}, got ${bigRoomSize}`);
  }
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  if (minClientProtocol > PROTOCOL_VERSION) {
    logger.warn('minClientProtocol is above the protocol of this server\'s own widget: every widget is refused', {
      minClientProtocol,
      protocol: PROTOCOL_VERSION,
    });
  }
  const store = options.store ?? SqliteStore.open(options.dataDir ?? './data', logger);
  const ownsStore = options.store === undefined;
  const sites = new SiteRegistry(store);
  const cluster = options.cluster && { redis: options.cluster.redis, prefix: options.cluster.prefix ?? 'chat-room:' };
  // Its own connection without an offline queue: while Redis is down, limits fall back to memory at once instead of waiting.
  const limiterRedis = cluster?.redis.duplicate({ enableOfflineQueue: false });
  const limits = new RateLimits(options.rateLimits, cluster && limiterRedis && { redis: limiterRedis, prefix: cluster.prefix });
  const clusterPresence = cluster && !options.presence ? new RedisPresence(cluster.redis, cluster.prefix) : undefined;
  const metrics = new EdgeMetrics();
  const proxyHops = toProxyHops(options.trustProxy);
  if (options.trustProxy !== undefined) options.app?.set('trust proxy', proxyHops);
  const demoSite = options.demoSite ?? process.env.NODE_ENV !== 'production';
  const widgetBundle = options.widgetBundle ?? DEFAULT_WIDGET_BUNDLE;
  const widgetChunks = options.widgetChunks ?? chunksDirOf(widgetBundle);
  const chunkArchive = new ChunkArchive(store, widgetChunks, logger);
  // Failing to archive is logged, not fatal: this build's chunks are still served from disk.
  const archiving = chunkArchive.start();
  const ready = Promise.all([
    demoSite ? sites.ensureDemoSite() : warnOfDemoSite(sites, logger),
    clusterPresence?.start(),
    archiving.recorded,
  ]).then(() => undefined);
  let stopRetention: (() => void) | undefined;
  void ready.then(() => (stopRetention = startRetention(store, logger, options.retentionIntervalMs)));

  const io: ChatIo = new Server(httpServer, {
    // A cluster takes WebSocket only: long-polling would need sticky sessions at the load balancer.
    transports: cluster ? ['websocket'] : ['websocket', 'polling'],
    ...(cluster ? { adapter: createAdapter(cluster.redis, { streamName: `${cluster.prefix}socket.io` }) } : {}),
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    pingInterval: ENGINE_PING_INTERVAL_MS,
    pingTimeout: ENGINE_PING_TIMEOUT_MS,
    cleanupEmptyChildNamespaces: true,
    // Not needed: the widget loads socket.io-client from its own bundle.
    serveClient: false,
    allowRequest: handshakeGuard({ sites, limits, metrics, logger, proxyHops, ready }),
  });

  // In one direction: the namespace lookup, the services that emit through it, then the event routes that call them.
  const namespaces = siteNamespaces({ io, sites, ready, logger });
  const { namespaceOf } = namespaces;
  // The in-memory adapter of a single node has no other nodes to tell (and throws if asked).
  const bans = new BanService(store, cluster ? (site) => void io.serverSideEmit('bans:changed', site) : undefined);
  io.on('bans:changed', (site) => bans.forget(site));
  const sessions = new SessionCredentials(io, sites, logger, cluster ? (site) => void io.serverSideEmit('sites:changed', site) : undefined);
  io.on('sites:changed', (site) => void sites.refresh(site).catch((err: unknown) => logger.error('site lookup failed', { site, err })));
  // Slots of coalesced updates, shared by the nodes of a cluster: one update per room and window whichever node sends it.
  const gate = cluster ? new RedisFlushGate(cluster.redis, cluster.prefix) : new MemoryFlushGate();
  const presence = new PresenceService({
    store: options.presence ?? clusterPresence ?? new MemoryPresence(),
    gate,
    namespaceOf,
    graceMs: options.presenceGraceMs ?? PRESENCE_GRACE_MS,
    bigRoomSize,
    logger,
  });
  const typing = new TypingService({
    store: cluster ? new RedisTyping(cluster.redis, cluster.prefix) : new MemoryTyping(),
    gate,
    namespaceOf,
    logger,
  });
  const moderation = new ModerationService(store, bans, namespaceOf, presence);
  const services: Services = {
    sites,
    users: new UserService(store),
    messages: new MessageService(store, namespaceOf),
    changes: new MessageChangeService(store, namespaceOf, moderation),
    privacy: new PrivacyService(store, namespaceOf),
    presence,
    typing,
    bans,
    moderation,
    sessions,
    media: new MediaService(store, options.mediaFiles ?? new DirectoryMediaFiles(join(options.dataDir ?? './data', 'media')), new ImageCodec()),
  };
  const sweepMedia = async () => {
    for (const site of await sites.list()) await services.media.sweep(site.id);
  };
  const mediaSweeper = setInterval(
    () => void sweepMedia().catch((err: unknown) => logger.error('media sweep failed', { err })),
    options.mediaSweepIntervalMs ?? 10 * 60_000,
  );
  mediaSweeper.unref();
  namespaces.serve({ services, limits, metrics, proxyHops, minClientProtocol });

  const routes = widgetRoutes({ bundle: widgetBundle, chunks: widgetChunks, archive: chunkArchive });
  routes.use(mediaRoutes({ media: services.media, sites }));
  routes.use('/api', adminApi({ services, adminToken: options.adminToken, limits, proxyHops, logger }));
  options.app?.use(routes);

  return {
    io,
    store,
    sites,
    routes,
    logger,
    metrics,
    ready,
    async close() {
      stopRetention?.();
      clearInterval(mediaSweeper);
      services.media.stop();
      archiving.stop();
      sessions.stop();
      services.presence.close();
      services.typing.close();
      // Closing the engine drops every client of every namespace.
      io.engine.close();
      // Let the disconnect handlers run before the store goes away.
      await new Promise((resolve) => setImmediate(resolve));
      await clusterPresence?.close();
      limiterRedis?.disconnect();
      if (ownsStore) await store.close();
    },
  };
}

/** Without `demoSite` no demo site is made; one made earlier stays (it may be in use), but an operator should know. */
async function warnOfDemoSite(sites: SiteRegistry, logger: Logger): Promise<void> {
  if (await sites.get(DEMO_SITE_ID)) {
    logger.warn('the demo site exists (it accepts localhost origins): remove it with `chat-room-server site remove demo` unless you use it');
  }
}
