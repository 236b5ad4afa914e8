/**
 * Identity tokens: compact HS256 JWTs that a site's backend signs with the
 * site secret to say who the visitor is. Only HS256 is accepted — never
 * `none`, never an algorithm the token picks for itself — the signature is
 * compared in constant time, and `exp` is required.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '../../protocol/index.js';
import type { UserRole } from '../../protocol/index.js';

/** Clocks of the site's backend and of this server may differ this much. */
export const TOKEN_CLOCK_SKEW_MS = 60_000;
/** A token is a few hundred bytes; anything much larger is not one. */
export const MAX_TOKEN_LENGTH = 4096;
/** `sub`: the site's own user key (an email is fine: the public id is an opaque HMAC of it, see identity.ts). */
const SUBJECT_PATTERN = /^[A-Za-z0-9_.@|+-]{1,62}$/;
const MAX_AVATAR_LENGTH = 512;

export interface IdentityClaims {
  sub: string;
  name: string;
  avatar?: string;
  role: UserRole;
  /** The only rooms this user may join, when the token says so. */
  rooms?: string[];
  /** Seconds since the epoch, as in every JWT. */
  exp: number;
  iat?: number;
}

export type TokenErrorCode = typeof ErrorCode.TokenInvalid | typeof ErrorCode.TokenExpired | typeof ErrorCode.TokenWrongSite;

export type TokenResult = { ok: true; claims: IdentityClaims } | { ok: false; code: TokenErrorCode };

/** What a client is told when its token is refused (at connect or `session:renew`). */
export const TOKEN_REFUSALS: Record<TokenErrorCode, string> = {
  [ErrorCode.TokenInvalid]: 'the identity token is not valid',
  [ErrorCode.TokenExpired]: 'the identity token has expired',
  [ErrorCode.TokenWrongSite]: 'the identity token is for another site',
};

/** When a session signed in with these claims ends: when the handshake would start refusing the token. */
export function sessionEnd(claims: IdentityClaims): number {
  return claims.exp * 1000 + TOKEN_CLOCK_SKEW_MS;
}

/**
 * Checks algorithm, site (`aud` or `site` claim), signature, expiry and the
 * shape of the claims, in that order: expiry is only reported for a token
 * whose signature holds.
 */
export function verifyIdentityToken(token: unknown, siteId: string, secret: string, now = Date.now()): TokenResult {
  const invalid = { ok: false, code: ErrorCode.TokenInvalid } as const;
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return invalid;
  const parts = token.split('.');
  if (parts.length !== 3) return invalid;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];

  const header = decodeJson(headerPart);
  if (!header || header.alg !== 'HS256' || (header.typ !== undefined && header.typ !== 'JWT')) return invalid;
  const claims = decodeJson(payloadPart);
  if (!claims) return invalid;
  // Before the signature: a token for another site is signed with that site's secret, so it could only
  // ever fail as "invalid"; saying "wrong site" helps the integrator and tells an attacker nothing.
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.site !== siteId && !audience.includes(siteId)) return { ok: false, code: ErrorCode.TokenWrongSite };
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  const actual = decodeBase64Url(signaturePart);
  if (!actual || actual.length !== expected.length || !timingSafeEqual(actual, expected)) return invalid;

  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return invalid;
  if (claims.exp * 1000 + TOKEN_CLOCK_SKEW_MS <= now) return { ok: false, code: ErrorCode.TokenExpired };
  if (typeof claims.iat === 'number' && claims.iat * 1000 - TOKEN_CLOCK_SKEW_MS > now) return invalid;

  const { sub, name, avatar, role = 'member', rooms } = claims;
  if (typeof sub !== 'string' || !SUBJECT_PATTERN.test(sub)) return invalid;
  if (typeof name !== 'string' || name.trim() === '') return invalid;
  if (avatar !== undefined && !isAvatarUrl(avatar)) return invalid;
  if (role !== 'member' && role !== 'moderator') return invalid;
  if (rooms !== undefined && !(Array.isArray(rooms) && rooms.every((r) => typeof r === 'string'))) return invalid;

  const verified: IdentityClaims = { sub, name, role, exp: claims.exp };
  if (typeof claims.iat === 'number') verified.iat = claims.iat;
  if (avatar !== undefined) verified.avatar = avatar as string;
  // Compared with joined rooms, which are in NFC.
  if (rooms !== undefined) verified.rooms = (rooms as string[]).map((room) => room.normalize('NFC'));
  return { ok: true, claims: verified };
}

/** Only http(s) URLs: a `javascript:` avatar must never reach an `src`. */
function isAvatarUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_AVATAR_LENGTH) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

function decodeBase64Url(part: string): Buffer | undefined {
  // Buffer.from skips characters outside the alphabet; refuse them instead, so one token has one encoding.
  return /^[A-Za-z0-9_-]*$/.test(part) ? Buffer.from(part, 'base64url') : undefined;
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  const bytes = decodeBase64Url(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
