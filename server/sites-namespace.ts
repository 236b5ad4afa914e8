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
import { ErrorCode, SITE_NAMESPACE_PATTERN, siteNamespace } from '../protocol/index.js';
import { userChannel } from './channels.js';
import type { HandlerContext } from './handlers/context.js';
import { routeEvents } from './handlers/index.js';
import { announceRename } from './handlers/user.js';
import type { Logger } from './logger.js';
import type { EdgeMetrics } from './metrics.js';
import { admission, refusal, takeHandshakeRename } from './security/admission.js';
import { eventGuard } from './security/event-guard.js';
import type { RateLimits } from './security/rate-limits.js';
import type { Services } from './services/index.js';
import type { SiteRegistry } from './services/sites.js';
import type { ChatIo, ChatNamespace, NamespaceOf } from './socket-types.js';

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
        routeEvents(ctx);
        const expiresAt = socket.data.credentials?.expiresAt;
        socket.emit('session:ready', { user, role: socket.data.role, site, serverTime: Date.now(), ...(expiresAt === undefined ? {} : { expiresAt }) });
        ctx.logger.debug('connected');
        const renamed = takeHandshakeRename(socket);
        // Other tabs and the rooms this user is already in learn the new name.
        if (renamed) announceRename(ctx, renamed).catch((err: unknown) => ctx.logger.error('announcing rename failed', { err }));
      });
    },
  };
}
