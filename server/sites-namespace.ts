/**
 * One Socket.IO namespace per registered site, `/s/<siteId>`.
 *
 * Namespaces are created with the function form of `io.of`, which consults the
 * site registry, so a client cannot create namespaces at will. Connecting to an
 * unknown site (or to any other namespace) fails before any middleware runs:
 * the client gets `connect_error` with the message "Invalid namespace", which
 * the widget shows as `unknown_site`. Other refusals (`site_mismatch`,
 * `origin_not_allowed`, the `token_*` codes, `banned`) arrive as
 * `connect_error` whose message is the error code and whose `data` is
 * `{ code, message, retryAfterMs? }`; so is `rate_limited`, when one Engine.IO
 * connection or one address opens too many namespace sockets.
 *
 * The Origin was already checked by the handshake guard (Engine.IO
 * `allowRequest`); it is checked again here against the namespace's own site,
 * which also covers clients that did not name their site in the handshake URL.
 */
import { randomUUID } from 'node:crypto';
import type { ExtendedError } from 'socket.io';
import { ErrorCode, SITE_NAMESPACE_PATTERN, SITE_QUERY_PARAM, siteNamespace } from '../protocol/index.js';
import type { ChatError, UserInfo, UserRole } from '../protocol/index.js';
import { userChannel } from './channels.js';
import type { HandlerContext, Services } from './handlers/context.js';
import { ackCursor } from './handlers/cursor.js';
import { directHistory, sendDirect } from './handlers/dm.js';
import { ping } from './handlers/heartbeat.js';
import { renewSession } from './handlers/session.js';
import { messageHistory, sendMessage } from './handlers/message.js';
import { joinRoom, leaveAllRooms, leaveRoom } from './handlers/room.js';
import { moderatorBan, moderatorDelete, moderatorErase } from './handlers/moderation.js';
import { setTyping } from './handlers/typing.js';
import { announceRename, renameUser } from './handlers/user.js';
import { ephemeralGuestKey, guestLanguage, isGuestKey } from './identity.js';
import type { Logger } from './logger.js';
import type { EdgeMetrics } from './metrics.js';
import { clientIp } from './security/client-ip.js';
import { eventGuard } from './security/event-guard.js';
import { isOriginAcceptedBy } from './security/origin.js';
import type { RateLimits } from './security/rate-limits.js';
import { credentialsOf } from './security/credentials.js';
import type { Credentials } from './security/credentials.js';
import { TOKEN_REFUSALS, verifyIdentityToken } from './security/token.js';
import type { SiteRegistry } from './services/sites.js';
import type { Renamed } from './services/users.js';
import type { ChatIo, ChatNamespace, ChatSocket } from './socket-types.js';

export interface SiteNamespacesDeps {
  io: ChatIo;
  sites: SiteRegistry;
  /** Handshakes wait for it instead of racing the creation of the `demo` site. */
  ready: Promise<void>;
  services: Services;
  limits: RateLimits;
  metrics: EdgeMetrics;
  /** Trusted proxy hops in front of the server (see `clientIp`). */
  proxyHops: number;
  logger: Logger;
}

/**
 * The namespace of a known site on this node: the live one, or a new one made
 * from the same parent (its middleware and handlers), so this node can emit to
 * — and, in a cluster, through the adapter reach — sockets it does not hold.
 */
export type NamespaceOf = (site: string) => ChatNamespace;

export function mountSiteNamespaces(deps: SiteNamespacesDeps): NamespaceOf {
  const { io, sites, ready, services, limits, metrics, proxyHops, logger } = deps;
  // The default namespace serves nothing: refuse it like any unknown one.
  io.of('/').use((_socket, next) => next(refusal(ErrorCode.UnknownSite, 'connect to /s/<siteId>')));

  const parent = io.of((name, _auth, next) => {
    const siteId = SITE_NAMESPACE_PATTERN.exec(name)?.[1];
    if (!siteId) return next(null, false);
    ready.then(() => sites.get(siteId)).then(
      (site) => next(null, site !== undefined),
      (err: unknown) => {
        logger.error('site lookup failed', { siteId, err });
        next(null, false);
      },
    );
  });

  parent.use((socket, next) => {
    admit(socket, sites, services, limits, proxyHops).then(
      () => next(),
      (err: unknown) => {
        if (isRefusal(err)) {
          logger.debug('connection refused', { nsp: socket.nsp.name, code: err.data.code, origin: socket.handshake.headers.origin });
          return next(err);
        }
        logger.error('handshake failed', { nsp: socket.nsp.name, err });
        next(refusal(ErrorCode.Internal, 'the server failed to accept the connection'));
      },
    );
  });

  parent.on('connection', (socket) => {
    const { site, user } = socket.data;
    const ctx: HandlerContext = {
      nsp: socket.nsp,
      socket,
      services,
      logger: logger.child({ site: site.id, socket: socket.id, user: user.id }),
    };
    void socket.join(userChannel(user.id));
    services.sessions.track(socket);
    socket.use(eventGuard(socket, { limits: limits.scaled(socket.data.rateLimitScale), metrics, logger: ctx.logger }));
    // Last before the handler: an event that waited on the limits meanwhile still meets a removed site.
    socket.use(services.sessions.siteGuard(socket));
    socket.on('room:join', joinRoom(ctx));
    socket.on('room:leave', leaveRoom(ctx));
    socket.on('message:send', sendMessage(ctx));
    socket.on('message:history', messageHistory(ctx));
    socket.on('room:ack', ackCursor(ctx));
    socket.on('session:ping', ping(ctx));
    socket.on('session:renew', renewSession(ctx));
    socket.on('typing:set', setTyping(ctx));
    socket.on('user:rename', renameUser(ctx));
    socket.on('dm:send', sendDirect(ctx));
    socket.on('dm:history', directHistory(ctx));
    socket.on('mod:delete', moderatorDelete(ctx));
    socket.on('mod:ban', moderatorBan(ctx));
    socket.on('mod:erase', moderatorErase(ctx));
    socket.on('disconnect', leaveAllRooms(ctx));
    const expiresAt = socket.data.credentials?.expiresAt;
    socket.emit('session:ready', { user, role: socket.data.role, site, serverTime: Date.now(), ...(expiresAt === undefined ? {} : { expiresAt }) });
    ctx.logger.debug('connected');
    const renamed = handshakeRenames.get(socket);
    if (renamed) {
      handshakeRenames.delete(socket);
      // Other tabs and the rooms this user is already in learn the new name.
      announceRename(ctx, renamed).catch((err: unknown) => ctx.logger.error('announcing rename failed', { err }));
    }
  });

  // `io.of(fn)` makes a ParentNamespace, which socket.io types as a plain Namespace.
  const children = parent as unknown as { createChild(name: string): ChatNamespace };
  return (site) => {
    const name = siteNamespace(site);
    return io._nsps.get(name) ?? children.createChild(name);
  };
}

/** Handshake nicknames applied in `admit`, announced once the socket is connected. */
const handshakeRenames = new WeakMap<ChatSocket, Renamed>();

/**
 * Checks the site named in the handshake URL and the Origin, resolves the user
 * (identified by a verified token, or a guest by key, with `auth.nickname`
 * applied when valid and free), refuses banned users and addresses; fills
 * `socket.data`.
 */
async function admit(socket: ChatSocket, sites: SiteRegistry, services: Services, limits: RateLimits, proxyHops: number): Promise<void> {
  const ip = clientIp(socket.request, proxyHops);
  // Counted first, refused or not: CONNECTs multiplexed over one WebSocket cost no handshake.
  const budget = await limits.namespaceConnect({ connection: connectionKey(socket), ip });
  if (!budget.ok) throw refusal(ErrorCode.RateLimited, 'too many connections; try again later', budget.retryAfterMs);
  const siteId = SITE_NAMESPACE_PATTERN.exec(socket.nsp.name)?.[1];
  const site = siteId === undefined ? undefined : await sites.get(siteId);
  if (!site) throw refusal(ErrorCode.UnknownSite, 'no such site');
  const named = socket.handshake.query[SITE_QUERY_PARAM];
  if (named !== undefined && named !== site.id) {
    throw refusal(ErrorCode.SiteMismatch, 'the site in the connection URL is not the site of the namespace');
  }
  if (!isOriginAcceptedBy(socket.handshake.headers.origin, site)) {
    throw refusal(ErrorCode.OriginNotAllowed, 'this page is not allowed to use this chat site');
  }
  // `auth` is whatever the client sent: read each field for its type.
  const auth: Record<string, unknown> = isRecord(socket.handshake.auth) ? socket.handshake.auth : {};
  const lang = guestLanguage(auth.lang);

  let user: UserInfo;
  let stored = true;
  let role: UserRole = 'member';
  let allowedRooms: string[] | undefined;
  let credentials: Credentials | undefined;
  if (auth.token !== undefined) {
    const verified = verifyIdentityToken(auth.token, site.id, site.secret);
    if (!verified.ok) throw refusal(verified.code, TOKEN_REFUSALS[verified.code]);
    user = await services.users.identified(site, verified.claims);
    role = verified.claims.role;
    allowedRooms = verified.claims.rooms;
    credentials = credentialsOf(verified.claims, site.secret);
  } else {
    const guestKey = isGuestKey(auth.guestKey) ? auth.guestKey : ephemeralGuestKey();
    ({ user, stored } = await services.users.guest(site, guestKey, lang));
  }

  const ban = await services.bans.sessionBan(site.id, user, ip);
  if (ban) throw refusal(ErrorCode.Banned, 'you are banned from this site', ban.until - Date.now());

  if (user.kind === 'guest' && typeof auth.nickname === 'string') {
    const renamed = await services.users.rename(site.id, { user, stored }, auth.nickname);
    if (renamed.ok && renamed.data.previousName !== renamed.data.user.name) {
      user = renamed.data.user;
      stored = true;
      handshakeRenames.set(socket, renamed.data);
    }
  }
  socket.data = { site: { id: site.id, name: site.name }, user, stored, lang, role, ip, rooms: new Set(), rateLimitScale: site.rateLimitScale ?? 1 };
  if (allowedRooms) socket.data.allowedRooms = allowedRooms;
  if (credentials) socket.data.credentials = credentials;
}

/** A key per Engine.IO connection (its own id is private to Engine.IO), for the per-connection limit. */
const connectionKeys = new WeakMap<object, string>();

function connectionKey(socket: ChatSocket): string {
  let key = connectionKeys.get(socket.conn);
  if (key === undefined) connectionKeys.set(socket.conn, (key = randomUUID()));
  return key;
}

type Refusal = ExtendedError & { data: ChatError };

function refusal(code: ChatError['code'], message: string, retryAfterMs?: number): Refusal {
  const data: ChatError = retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
  return Object.assign(new Error(code), { data });
}

function isRefusal(err: unknown): err is Refusal {
  return err instanceof Error && typeof (err as Partial<Refusal>).data?.code === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
