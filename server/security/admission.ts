/**
 * Who may open a socket on a site's namespace: the Socket.IO middleware that
 * checks the site named in the handshake URL and the Origin, resolves the
 * user (identified by a verified token, or a guest by key, with
 * `auth.nickname` applied when valid and free), refuses banned users and
 * addresses, and fills `socket.data`. A refusal reaches the client as
 * `connect_error` whose message is the error code and whose `data` is
 * `{ code, message, retryAfterMs? }`.
 */
import type { ExtendedError } from 'socket.io';
import { ErrorCode, SITE_NAMESPACE_PATTERN, SITE_QUERY_PARAM, UNVERSIONED_PROTOCOL } from '../../protocol/index.js';
import type { ChatError, SiteInfo, UserInfo, UserRole } from '../../protocol/index.js';
import { ephemeralGuestKey, guestLanguage, isGuestKey } from '../identity.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import type { Renamed } from '../services/users.js';
import type { ChatSocket } from '../socket-types.js';
import type { Site } from '../storage/store.js';
import { clientIp } from './client-ip.js';
import { credentialsOf } from './credentials.js';
import type { Credentials } from './credentials.js';
import { isOriginAcceptedBy } from './origin.js';
import type { RateLimits } from './rate-limits.js';
import { TOKEN_REFUSALS, verifyIdentityToken } from './token.js';

export interface AdmissionDeps {
  services: Pick<Services, 'sites' | 'users' | 'bans'>;
  limits: RateLimits;
  /** Trusted proxy hops in front of the server (see `clientIp`). */
  proxyHops: number;
  /** Clients speaking an older protocol (`auth.protocol`) are refused with `client_outdated`. */
  minClientProtocol: number;
  logger: Logger;
}

/** The namespace middleware: admits the socket, or refuses it with an error code. */
export function admission(deps: AdmissionDeps) {
  const { logger } = deps;
  return (socket: ChatSocket, next: (err?: ExtendedError) => void): void => {
    admit(socket, deps).then(
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
  };
}

/** Handshake nicknames applied in `admit`, announced once the socket is connected. */
const handshakeRenames = new WeakMap<ChatSocket, Renamed>();

/** The rename `auth.nickname` made at admission, once: the connection handler announces it. */
export function takeHandshakeRename(socket: ChatSocket): Renamed | undefined {
  const renamed = handshakeRenames.get(socket);
  handshakeRenames.delete(socket);
  return renamed;
}

async function admit(socket: ChatSocket, { services, limits, proxyHops, minClientProtocol }: AdmissionDeps): Promise<void> {
  const ip = clientIp(socket.request, proxyHops);
  // Counted first, refused or not: CONNECTs multiplexed over one WebSocket cost no handshake.
  const budget = await limits.namespaceConnect({ connection: socket.conn, ip });
  if (!budget.ok) throw refusal(ErrorCode.RateLimited, 'too many connections; try again later', budget.retryAfterMs);
  // `auth` is whatever the client sent: read each field for its type.
  const auth: Record<string, unknown> = isRecord(socket.handshake.auth) ? socket.handshake.auth : {};
  // Before any lookup: an outdated page costs nothing but this answer.
  checkProtocol(auth.protocol, minClientProtocol);
  const siteId = SITE_NAMESPACE_PATTERN.exec(socket.nsp.name)?.[1];
  const site = siteId === undefined ? undefined : await services.sites.get(siteId);
  if (!site) throw refusal(ErrorCode.UnknownSite, 'no such site');
  const named = socket.handshake.query[SITE_QUERY_PARAM];
  if (named !== undefined && named !== site.id) {
    throw refusal(ErrorCode.SiteMismatch, 'the site in the connection URL is not the site of the namespace');
  }
  if (!isOriginAcceptedBy(socket.handshake.headers.origin, site)) {
    throw refusal(ErrorCode.OriginNotAllowed, 'this page is not allowed to use this chat site');
  }
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
  socket.data = { site: siteInfo(site), user, stored, lang, role, ip, rooms: new Set(), quietRooms: new Set(), rateLimitScale: site.rateLimitScale ?? 1 };
  if (allowedRooms) socket.data.allowedRooms = allowedRooms;
  if (credentials) socket.data.credentials = credentials;
}

/** What sockets carry of their site: one object per site record (records are cached), shared by its sockets. */
const siteInfos = new WeakMap<Site, SiteInfo>();

function siteInfo(site: Site): SiteInfo {
  let info = siteInfos.get(site);
  if (!info) siteInfos.set(site, (info = { id: site.id, name: site.name }));
  return info;
}

/** Refuses a client older than `min` (a missing version is `UNVERSIONED_PROTOCOL`), and a version that is not a whole number. */
function checkProtocol(raw: unknown, min: number): void {
  const version = raw === undefined ? UNVERSIONED_PROTOCOL : raw;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw refusal(ErrorCode.InvalidPayload, 'auth.protocol must be a whole number');
  }
  if (version < min) {
    throw refusal(ErrorCode.ClientOutdated, `this page speaks chat protocol ${version}, the server needs ${min} or later: reload the page`);
  }
}

type Refusal = ExtendedError & { data: ChatError };

/** A `connect_error` carrying `{ code, message, retryAfterMs? }` as its data. */
export function refusal(code: ChatError['code'], message: string, retryAfterMs?: number): Refusal {
  const data: ChatError = retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
  return Object.assign(new Error(code), { data });
}

function isRefusal(err: unknown): err is Refusal {
  return err instanceof Error && typeof (err as Partial<Refusal>).data?.code === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
