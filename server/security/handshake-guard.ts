/**
 * Engine.IO `allowRequest`: the first gate, before any socket or namespace
 * exists. Socket.IO's `cors` option covers only long-polling, so this is where
 * the Origin of a WebSocket is checked (no cross-site WebSocket hijacking) and
 * where handshakes per IP are counted.
 *
 * The namespace is not known yet. The site comes from the `site` query
 * parameter of the handshake URL (`SITE_QUERY_PARAM`); the site namespace
 * later requires it to equal the namespace's site. A client that does not
 * name its site passes this gate only when its Origin (or lack of one) is
 * accepted by some registered site, and the namespace then checks it against
 * the site it joins.
 *
 * A refusal answers HTTP 403 with `{"code":4,"message":"<error code>"}` to a
 * polling request; a WebSocket upgrade is closed with HTTP 400 and the code as
 * its body (Engine.IO's behaviour). No socket is created either way.
 */
import type { IncomingMessage } from 'node:http';
import { ErrorCode, SITE_QUERY_PARAM } from '../../protocol/index.js';
import type { Logger } from '../logger.js';
import type { EdgeMetrics } from '../metrics.js';
import type { SiteRegistry } from '../services/sites.js';
import { clientIp } from './client-ip.js';
import { isOriginAcceptedBy } from './origin.js';
import type { RateLimits } from './rate-limits.js';

export interface HandshakeGuardDeps {
  sites: SiteRegistry;
  limits: RateLimits;
  metrics: EdgeMetrics;
  logger: Logger;
  /** Trusted proxy hops (see `clientIp`). */
  proxyHops: number;
  /** Handshakes wait for it instead of racing the creation of the `demo` site. */
  ready: Promise<void>;
}

type AllowRequest = (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void;

export function handshakeGuard(deps: HandshakeGuardDeps): AllowRequest {
  return (req, callback) => {
    refusal(req, deps).then(
      (code) => {
        if (code === undefined) return callback(null, true);
        deps.metrics.refusedHandshakes++;
        deps.logger.debug('handshake refused', { code, origin: req.headers.origin, url: req.url });
        callback(code, false);
      },
      (err: unknown) => {
        deps.logger.error('handshake check failed', { err });
        callback(ErrorCode.Internal, false);
      },
    );
  };
}

async function refusal(req: IncomingMessage, { sites, limits, proxyHops, ready }: HandshakeGuardDeps): Promise<ErrorCode | undefined> {
  await ready;
  // Counted first: a flood of refused handshakes is still a flood.
  if (!(await limits.connection(clientIp(req, proxyHops))).ok) return ErrorCode.RateLimited;
  const siteId = new URL(req.url ?? '/', 'http://localhost').searchParams.get(SITE_QUERY_PARAM);
  const origin = req.headers.origin;
  if (siteId !== null) {
    const site = await sites.get(siteId);
    if (!site) return ErrorCode.UnknownSite;
    return isOriginAcceptedBy(origin, site) ? undefined : ErrorCode.OriginNotAllowed;
  }
  const candidates = await sites.list();
  return candidates.some((site) => isOriginAcceptedBy(origin, site)) ? undefined : ErrorCode.OriginNotAllowed;
}
