/** `session:ping` (the widget's heartbeat) and `session:renew` (a newer token of the same user, swapped in without a reconnect). */
import { ErrorCode } from '../../protocol/index.js';
import type { Renewal } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import { credentialsOf } from '../security/credentials.js';
import { TOKEN_REFUSALS, verifyIdentityToken } from '../security/token.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

/** Answered at once, so its round trip measures the connection. */
export function ping({ logger }: HandlerContext) {
  return acked('session:ping', logger, async () => ok({ serverTime: Date.now() }));
}

/**
 * Checks the token as the handshake would (with the site's current secret),
 * then applies its name, avatar, role, `rooms` and expiry to this socket at
 * once: a demoted moderator's next `mod:*` is refused. Rooms already joined
 * stay joined.
 */
export function renewSession({ socket, services, logger }: HandlerContext) {
  return acked('session:renew', logger, async ({ token }) => {
    const current = socket.data.credentials;
    if (!current) return fail(ErrorCode.Forbidden, 'guests sign in by connecting with a token');
    const site = await services.sites.get(socket.data.site.id);
    if (!site) return fail(ErrorCode.UnknownSite, 'this site no longer exists');
    const verified = verifyIdentityToken(token, site.id, site.secret);
    if (!verified.ok) return fail(verified.code, TOKEN_REFUSALS[verified.code]);
    const { claims } = verified;
    if (claims.sub !== current.subject) return fail(ErrorCode.Forbidden, 'the token is for another user: connect with it instead');

    const user = await services.users.identified(site, claims);
    const credentials = credentialsOf(claims, site.secret);
    const data = socket.data;
    data.user = user;
    data.role = claims.role;
    data.credentials = credentials;
    if (claims.rooms) data.allowedRooms = claims.rooms;
    else delete data.allowedRooms;
    services.sessions.arm(socket);
    const renewal: Renewal = { user, role: claims.role, expiresAt: credentials.expiresAt };
    return ok(renewal);
  });
}
