/**
 * Guest identity. The browser keeps a secret guest key; the public user id is
 * an HMAC of it under the site secret, so knowing someone's id never lets you
 * act as them, and the same key on another site gives another id.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { GUEST_KEY_PATTERN } from '../protocol/index.js';
import type { UserId } from '../protocol/index.js';

export function isGuestKey(value: unknown): value is string {
  return typeof value === 'string' && GUEST_KEY_PATTERN.test(value);
}

/** A key for a socket that brought none (or a malformed one): a guest for this connection only. */
export function ephemeralGuestKey(): string {
  return randomBytes(24).toString('base64url');
}

export function guestUserId(siteSecret: string, guestKey: string): UserId {
  return 'g_' + createHmac('sha256', siteSecret).update(guestKey).digest('base64url').slice(0, 16);
}

/** "Guest 4821"; wider numbers once `attempt` shows the short ones are crowded. */
export function guestName(attempt: number): string {
  const digits = attempt < 20 ? 4 : 6;
  return `Guest ${randomInt(10 ** (digits - 1), 10 ** digits)}`;
}
