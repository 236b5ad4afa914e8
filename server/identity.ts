/**
 * Public user ids and generated guest names. Ids are HMACs under the site's
 * id key, which is never rotated (a rotation of the secret keeps every id):
 * a guest's id from the secret guest key its browser keeps, so knowing
 * someone's id never lets you act as them; an identified user's from the
 * token's `sub`, so the id never shows the `sub` (often an email) to others.
 * The same key or `sub` on another site gives another id.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import { GUEST_KEY_PATTERN } from '../protocol/index.js';
import type { UserId } from '../protocol/index.js';
import { nicknameKey } from './nickname.js';

export function isGuestKey(value: unknown): value is string {
  return typeof value === 'string' && GUEST_KEY_PATTERN.test(value);
}

/** A key for a socket that brought none (or a malformed one): a guest for this connection only. */
export function ephemeralGuestKey(): string {
  return randomBytes(24).toString('base64url');
}

export function guestUserId(idKey: string, guestKey: string): UserId {
  return 'g_' + createHmac('sha256', idKey).update(guestKey).digest('base64url').slice(0, 16);
}

/** The public id of an identified user: opaque, never the `sub` itself. */
export function identifiedUserId(idKey: string, sub: string): UserId {
  return 'u_' + createHmac('sha256', idKey).update(`sub\0${sub}`).digest('base64url').slice(0, 22);
}

/** A fresh random id key (256 bits), made once per site. */
export function newIdKey(): string {
  return randomBytes(32).toString('base64url');
}

/** A number in [10^(digits-1), 10^digits) read from the id's characters: the same id always gives the same number. */
function numberOf(id: UserId, digits: number): number {
  const hash = createHmac('sha256', 'guest-name').update(id).digest();
  const low = 10 ** (digits - 1);
  return low + (hash.readUInt32BE(0) * 2 ** 16 + hash.readUInt16BE(4)) % (10 ** digits - low);
}

/** The languages guest names are made in, and the word of each. */
const GUEST_WORDS = { en: 'Guest', zh: '访客' } as const;
export type GuestLanguage = keyof typeof GUEST_WORDS;
export const GUEST_LANGUAGES = Object.keys(GUEST_WORDS) as GuestLanguage[];

/** A BCP 47 language tag as `auth.lang` may carry it: letters, then subtags of letters and digits. */
const LANGUAGE_TAG = /^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8}){0,8}$/;

/**
 * The language of generated guest names for the UI language a client names in
 * `auth.lang`: `zh`, `zh-CN`, `zh-Hans-SG` → `zh`; anything else, or a value
 * that is not a language tag, → `en`.
 */
export function guestLanguage(tag: unknown): GuestLanguage {
  return typeof tag === 'string' && LANGUAGE_TAG.test(tag) && /^zh(?:-|$)/i.test(tag) ? 'zh' : 'en';
}

/**
 * The name a guest shows until it picks one or is stored: "Guest 482113"
 * ("访客 482113" in Chinese), the same for the same id, so a reconnecting
 * reader keeps its name.
 */
export function provisionalGuestName(id: UserId, lang: GuestLanguage = 'en'): string {
  return `${GUEST_WORDS[lang]} ${numberOf(id, 6)}`;
}

/** How many random names `guestName` offers before `fallbackGuestName`. */
export const GUEST_NAME_ATTEMPTS = 30;

/** "Guest 4821"; six, then nine digits once `attempt` shows the shorter ones are crowded. */
export function guestName(attempt: number, lang: GuestLanguage = 'en'): string {
  const digits = attempt < 10 ? 4 : attempt < 20 ? 6 : 9;
  return `${GUEST_WORDS[lang]} ${randomInt(10 ** (digits - 1), 10 ** digits)}`;
}

/**
 * The name of last resort, unique because the id is: its hex spelling (case
 * folding, which name uniqueness applies, cannot merge two ids). Guests may
 * not rename to this shape (see `isReservedGuestName`), so it is always free.
 */
export function fallbackGuestName(id: UserId, lang: GuestLanguage = 'en'): string {
  return `${GUEST_WORDS[lang]} ${Buffer.from(id.slice(2), 'base64url').toString('hex')}`;
}

/** The name keys of the fallback's shape: the word of a language, then 24 letters or digits. */
const RESERVED_KEY = new RegExp(`^(?:${GUEST_LANGUAGES.map((lang) => nicknameKey(GUEST_WORDS[lang])).join('|')})[0-9a-z]{24}$`, 'u');

/**
 * Names of the fallback's shape, in any language, belong to the guest whose id
 * they spell (`owner`, when given, may take its own). Tested on the name key,
 * which is the confusable skeleton (digits fold to letters: 0→o, 1→l…), so
 * any look-alike spelling of such a name is reserved too.
 */
export function isReservedGuestName(nameKey: string, owner?: UserId): boolean {
  if (!RESERVED_KEY.test(nameKey)) return false;
  return owner === undefined || !GUEST_LANGUAGES.some((lang) => nicknameKey(fallbackGuestName(owner, lang)) === nameKey);
}

/**
 * Identified users do not take part in the unique-name index: two people with
 * the same real name may both sign in. Their key starts with U+0001, which no
 * nickname can contain (and PostgreSQL text can hold, unlike NUL); guests are
 * kept off their names by the skeleton check.
 */
export function identifiedNameKey(id: UserId): string {
  return `\u0001${id}`;
}
