/**
 * One Socket.IO namespace per registered site, `/s/<siteId>`.
 *
 * Namespaces are created with the function form of `io.of`, which consults the
 * site registry, so a client cannot create namespaces at will. Connecting to an
 * unknown site (or to any other namespace) fails before any middleware runs:
 * the client gets `connect_error` with the message "Invalid namespace", which
 * the widget shows as `unknown_site`. Other refusals (such as
 * `origin_not_allowed`) arrive as `connect_error` whose message is the error
 * code and whose `data` is `{ code, message }`.
 */
import type { ExtendedError } from 'socket.io';
import { ErrorCode, SITE_NAMESPACE_PATTERN } from '../protocol/index.js';
import type { ChatError, HandshakeAuth } from '../protocol/index.js';
import { userChannel } from './channels.js';
import type { HandlerContext, Services } from './handlers/context.js';
import { directHistory, sendDirect } from './handlers/dm.js';
import { messageHistory, sendMessage } from './handlers/message.js';
import { joinRoom, leaveAllRooms, leaveRoom } from './handlers/room.js';
import { setTyping } from './handlers/typing.js';
import { announceRename, renameUser } from './handlers/user.js';
import { ephemeralGuestKey, isGuestKey } from './identity.js';
import type { Logger } from './logger.js';
import { isOriginAllowed } from './security/origin.js';
import type { SiteRegistry } from './services/sites.js';
import type { Renamed } from './services/users.js';
import type { ChatIo, ChatNamespace, ChatSocket } from './socket-types.js';

export interface SiteNamespacesDeps {
  io: ChatIo;
  sites: SiteRegistry;
  /** Handshakes wait for it instead of racing the creation of the `demo` site. */
  ready: Promise<void>;
  services: Services;
  logger: Logger;
  /** Called with each site namespace as it is (re)created, so timers can reach its live instance. */
  onNamespace(site: string, nsp: ChatNamespace): void;
}

export function mountSiteNamespaces({ io, sites, ready, services, logger, onNamespace }: SiteNamespacesDeps): void {
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
    admit(socket, sites, services).then(
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
    onNamespace(site.id, socket.nsp);
    const ctx: HandlerContext = {
      nsp: socket.nsp,
      socket,
      services,
      logger: logger.child({ site: site.id, socket: socket.id, user: user.id }),
    };
    void socket.join(userChannel(user.id));
    socket.on('room:join', joinRoom(ctx));
    socket.on('room:leave', leaveRoom(ctx));
    socket.on('message:send', sendMessage(ctx));
    socket.on('message:history', messageHistory(ctx));
    socket.on('typing:set', setTyping(ctx));
    socket.on('user:rename', renameUser(ctx));
    socket.on('dm:send', sendDirect(ctx));
    socket.on('dm:history', directHistory(ctx));
    socket.on('disconnect', leaveAllRooms(ctx));
    socket.emit('session:ready', { user, site, serverTime: Date.now() });
    ctx.logger.debug('connected');
    const renamed = handshakeRenames.get(socket);
    if (renamed) {
      handshakeRenames.delete(socket);
      // Other tabs and the rooms this user is already in learn the new name.
      announceRename(ctx, renamed).catch((err: unknown) => ctx.logger.error('announcing rename failed', { err }));
    }
  });
}

/** Handshake nicknames applied in `admit`, announced once the socket is connected. */
const handshakeRenames = new WeakMap<ChatSocket, Renamed>();

/** Checks the Origin, resolves the guest and applies `auth.nickname` when valid and free; fills `socket.data`. */
async function admit(socket: ChatSocket, sites: SiteRegistry, services: Services): Promise<void> {
  const siteId = SITE_NAMESPACE_PATTERN.exec(socket.nsp.name)?.[1];
  const site = siteId === undefined ? undefined : await sites.get(siteId);
  if (!site) throw refusal(ErrorCode.UnknownSite, 'no such site');
  if (!isOriginAllowed(socket.handshake.headers.origin, site.origins)) {
    throw refusal(ErrorCode.OriginNotAllowed, 'this page is not allowed to use this chat site');
  }
  const auth = socket.handshake.auth as HandshakeAuth;
  const guestKey = isGuestKey(auth.guestKey) ? auth.guestKey : ephemeralGuestKey();
  let user = await services.users.guest(site, guestKey);
  if (typeof auth.nickname === 'string') {
    const renamed = await services.users.rename(site.id, user, auth.nickname);
    if (renamed.ok && renamed.data.previousName !== renamed.data.user.name) {
      user = renamed.data.user;
      handshakeRenames.set(socket, renamed.data);
    }
  }
  socket.data = { site: { id: site.id, name: site.name }, user, rooms: new Set() };
}

type Refusal = ExtendedError & { data: ChatError };

function refusal(code: ChatError['code'], message: string): Refusal {
  return Object.assign(new Error(code), { data: { code, message } });
}

function isRefusal(err: unknown): err is Refusal {
  return err instanceof Error && typeof (err as Partial<Refusal>).data?.code === 'string';
}
