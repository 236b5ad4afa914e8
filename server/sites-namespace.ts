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
 * connection or one address opens too many namespace sockets, and
 * `client_outdated`, when the page's protocol version is below the minimum.
 *
 * The Origin was already checked by the handshake guard (Engine.IO
 * `allowRequest`); it is checked again at admission against the namespace's
 * own site, which also covers clients that did not name their site in the
 * handshake URL.
 */
import type { Event } from 'socket.io';
import { ErrorCode, SITE_NAMESPACE_PATTERN, siteNamespace } from '../protocol/index.js';
import { userChannel } from './channels.js';
import { contextOf, disconnected, dispatch } from './handlers/index.js';
import type { HandlerBase } from './handlers/index.js';
import { announceRename } from './handlers/user.js';
import type { Logger } from './logger.js';
import type { EdgeMetrics } from './metrics.js';
import { admission, refusal, takeHandshakeRename } from './security/admission.js';
import { admitEvent } from './security/event-guard.js';
import type { RateLimits } from './security/rate-limits.js';
import type { Services } from './services/index.js';
import { OPEN_PRIVACY } from './services/privacy.js';
import type { SiteRegistry } from './services/sites.js';
import type { ChatIo, ChatNamespace, ChatSocket, NamespaceOf } from './socket-types.js';

export interface SiteNamespacesDeps {
  io: ChatIo;
  sites: SiteRegistry;
  /** Handshakes wait for it instead of racing the creation of the `demo` site. */
  ready: Promise<void>;
  logger: Logger;
}

export interface ServeDeps {
  services: Services;
  limits: RateLimits;
  metrics: EdgeMetrics;
  /** Trusted proxy hops in front of the server (see `clientIp`). */
  proxyHops: number;
  /** The oldest client protocol admitted (see `AttachOptions.minClientProtocol`). */
  minClientProtocol: number;
}

export interface SiteNamespaces {
  /** For the services: usable at once, though sockets arrive only after `serve`. */
  namespaceOf: NamespaceOf;
  /** Admits sockets on every site namespace and routes their events; called once, when the services exist. */
  serve(deps: ServeDeps): void;
}

export function siteNamespaces({ io, sites, ready, logger }: SiteNamespacesDeps): SiteNamespaces {
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
  // `io.of(fn)` makes a ParentNamespace, which socket.io types as a plain Namespace.
  const children = parent as unknown as { createChild(name: string): ChatNamespace };

  return {
    namespaceOf: (site) => {
      const name = siteNamespace(site);
      return io._nsps.get(name) ?? children.createChild(name);
    },
    serve({ services, limits, metrics, proxyHops, minClientProtocol }) {
      parent.use(admission({ services, limits, proxyHops, minClientProtocol, logger }));
      const base: HandlerBase = { services, logger };
      parent.on('connection', (socket) => {
        const { user } = socket.data;
        void socket.join(userChannel(user.id));
        services.sessions.arm(socket);
        // Socket.IO middleware is not told its socket: this closure (and the one on disconnect) is all a socket holds of its own.
        // Events wait for `session:ready` (it reads the user's privacy), so it is always the first answer.
        const ready = sessionReady(socket, services, logger);
        let queue: Promise<void> | undefined = ready;
        socket.use((packet) => {
          const run = (): Promise<void> => handle(socket, packet, { base, limits, metrics });
          const mine = (queue = queue ? queue.then(run) : run());
          void mine.then(() => {
            if (queue === mine) queue = undefined;
          });
        });
        socket.on('disconnect', () => {
          services.sessions.release(socket);
          disconnected(socket, base);
        });
        logger.debug('connected', { site: socket.data.site.id, socket: socket.id, user: user.id });
        const renamed = takeHandshakeRename(socket);
        // Other tabs and the rooms this user is already in learn the new name.
        if (renamed) {
          const ctx = contextOf(socket, base);
          ready.then(() => announceRename(ctx, renamed)).catch((err: unknown) => ctx.logger.error('announcing rename failed', { err }));
        }
      });
    },
  };
}

/** Sends `session:ready` with the user's privacy (a guest not stored yet has none). */
async function sessionReady(socket: ChatSocket, services: Services, logger: Logger): Promise<void> {
  const { user, site, role, stored } = socket.data;
  let privacy = OPEN_PRIVACY;
  try {
    if (stored) privacy = await services.privacy.get(site.id, user.id);
  } catch (err) {
    logger.error('reading privacy failed', { site: site.id, socket: socket.id, err });
  }
  const expiresAt = socket.data.credentials?.expiresAt;
  socket.emit('session:ready', { user: socket.data.user, role, site, serverTime: Date.now(), privacy, ...(expiresAt === undefined ? {} : { expiresAt }) });
}

interface EventDeps {
  base: HandlerBase;
  limits: RateLimits;
  metrics: EdgeMetrics;
}

/**
 * One event of a socket, through the event guard, then the site check (last
 * before the handler: an event that waited on the limits meanwhile still
 * meets a removed site), then its handler. Never rejects.
 */
async function handle(socket: ChatSocket, packet: Event, { base, limits, metrics }: EventDeps): Promise<void> {
  try {
    const admitted = await admitEvent(socket, packet, { limits: limits.scaled(socket.data.rateLimitScale), metrics });
    if (!admitted || !(await base.services.sessions.siteStands(socket, admitted.ack)) || !socket.connected) return;
    dispatch(socket, base, admitted.event, admitted.request, admitted.ack);
  } catch (err) {
    base.logger.error('event guard failed', { site: socket.data.site.id, socket: socket.id, err });
  }
}
