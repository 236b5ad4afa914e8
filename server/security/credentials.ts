/**
 * What an identified socket was admitted with, kept on the socket so that the
 * session ends when those credentials do: the token's subject (a renewal must
 * be for the same user), a fingerprint of the site secret that signed it (a
 * rotation ends the session) and when the token stops being accepted.
 */
import { createHash } from 'node:crypto';
import type { IdentityClaims } from './token.js';
import { sessionEnd } from './token.js';

export interface Credentials {
  subject: string;
  /** Not the secret itself: socket data travels between nodes (`fetchSockets`). */
  fingerprint: string;
  /** Ms since the epoch (server clock). */
  expiresAt: number;
}

export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 16);
}

export function credentialsOf(claims: IdentityClaims, secret: string): Credentials {
  return { subject: claims.sub, fingerprint: secretFingerprint(secret), expiresAt: sessionEnd(claims) };
}
