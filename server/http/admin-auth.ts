/**
 * Who may call the admin API. Two kinds of bearer token:
 * - the server admin token manages every site (and may moderate any);
 * - a site's secret moderates that site only.
 * No or unknown credentials answer 401; credentials that are valid but not
 * for this resource (another site's secret) answer 403. Tokens are compared
 * in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { SiteRegistry } from '../services/sites.js';
import type { Site } from '../storage/store.js';

export type AdminAuth =
  | { ok: true; site?: Site }
  | { ok: false; status: 401 | 403 | 404; code: string; message: string };

export function bearer(req: Request): string | undefined {
  const match = /^Bearer +(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}

/** Equal strings in time that does not depend on where they differ (hashing evens out lengths). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Shorter tokens can be guessed; 32 random characters (e.g. `openssl rand -base64 32`) cannot. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;

/** Why `token` cannot be the admin token, or undefined when it can. */
export function adminTokenProblem(token: string): string | undefined {
  if (token.length < ADMIN_TOKEN_MIN_LENGTH || /\s/.test(token)) {
    return `the admin token must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters without spaces (e.g. \`openssl rand -base64 32\`)`;
  }
  return undefined;
}

const unauthorized: AdminAuth = { ok: false, status: 401, code: 'unauthorized', message: 'a valid bearer token is required' };

/** Site management: the admin token only. */
export async function authorizeAdmin(req: Request, adminToken: string | undefined, sites: SiteRegistry): Promise<AdminAuth> {
  if (adminToken === undefined) {
    return { ok: false, status: 403, code: 'forbidden', message: 'site management over HTTP is off: start the server with an admin token' };
  }
  const token = bearer(req);
  if (token === undefined) return unauthorized;
  if (safeEqual(token, adminToken)) return { ok: true };
  return (await isSomeSiteSecret(token, sites)) ? forbidden('a site secret cannot manage sites') : unauthorized;
}

/** One site's moderation: the admin token or that site's secret. Unknown sites look the same as wrong tokens to strangers. */
export async function authorizeSite(req: Request, siteId: string, adminToken: string | undefined, sites: SiteRegistry): Promise<AdminAuth> {
  const token = bearer(req);
  if (token === undefined) return unauthorized;
  const site = await sites.get(siteId);
  const isAdmin = adminToken !== undefined && safeEqual(token, adminToken);
  if (site && (isAdmin || safeEqual(token, site.secret))) return { ok: true, site };
  if (isAdmin) return { ok: false, status: 404, code: 'not_found', message: 'no such site' };
  return (await isSomeSiteSecret(token, sites)) ? forbidden('this secret belongs to another site') : unauthorized;
}

function forbidden(message: string): AdminAuth {
  return { ok: false, status: 403, code: 'forbidden', message };
}

async function isSomeSiteSecret(token: string, sites: SiteRegistry): Promise<boolean> {
  let found = false;
  // No early exit: the time taken does not tell which site matched.
  for (const site of await sites.list()) found = safeEqual(token, site.secret) || found;
  return found;
}
