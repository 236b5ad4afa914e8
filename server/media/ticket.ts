/**
 * Upload tickets: `<payload>.<signature>`, both base64url; the payload names
 * the site, user, room and expiry, the signature is an HMAC-SHA256 under a key
 * derived from the site's `idKey` (server-side, never rotated, shared by every
 * node through the store), compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface TicketClaims {
  site: string;
  user: string;
  room: string;
  /** Ms since the epoch. */
  exp: number;
}

const MAX_TICKET_LENGTH = 1024;

function ticketKey(idKey: string): Buffer {
  return createHmac('sha256', idKey).update('chat-room upload ticket v1').digest();
}

function sign(idKey: string, payload: string): string {
  return createHmac('sha256', ticketKey(idKey)).update(payload).digest('base64url');
}

export function signTicket(idKey: string, claims: TicketClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(idKey, payload)}`;
}

/** The claims of a ticket of this site whose signature holds and that has not expired; undefined otherwise. */
export function verifyTicket(token: string, site: string, idKey: string, now = Date.now()): TicketClaims | undefined {
  if (token.length > MAX_TICKET_LENGTH) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(idKey, payload));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isClaims(claims) || claims.site !== site || claims.exp <= now) return undefined;
  return claims;
}

function isClaims(value: unknown): value is TicketClaims {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c.site === 'string' && typeof c.user === 'string' && typeof c.room === 'string' && typeof c.exp === 'number';
}
