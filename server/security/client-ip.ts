/** The address a request comes from, for per-IP limits and IP bans. */
import type { IncomingMessage } from 'node:http';

/**
 * Behind a reverse proxy every request comes from the proxy; with
 * `trustProxy` the first `X-Forwarded-For` entry is the client. Never trust
 * that header otherwise: any client can write it.
 */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
