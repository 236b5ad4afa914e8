/** Nickname rules: how a requested name is cleaned, checked and compared. */
import { NICKNAME_MAX_LENGTH, NICKNAME_MIN_LENGTH } from '../protocol/index.js';

/**
 * Control characters, lone surrogates, bidi overrides/isolates and invisible spaces: they could
 * hide or disguise a name. Joiners stay allowed (emoji sequences need them).
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\u200B\u202A-\u202E\u2066-\u2069\uFEFF]/u;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');

/** The name as displayed: trimmed, runs of whitespace collapsed to one space; undefined when not allowed. */
export function cleanNickname(raw: string): string | undefined {
  if (FORBIDDEN.test(raw.replace(/[\t\n\r]/g, ' '))) return undefined;
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  const length = [...name].length;
  if (length < NICKNAME_MIN_LENGTH || length > NICKNAME_MAX_LENGTH) return undefined;
  return name;
}

/**
 * An identified user's name as their site's token gives it: the site vouches
 * for it, so it is cleaned rather than refused (forbidden characters dropped,
 * cut to the maximum length); undefined when nothing usable is left.
 */
export function cleanTokenName(raw: string): string | undefined {
  const name = raw.normalize('NFC').replace(FORBIDDEN_ALL, '').trim().replace(/\s+/gu, ' ');
  const cut = [...name].slice(0, NICKNAME_MAX_LENGTH).join('').trim();
  return [...cut].length >= NICKNAME_MIN_LENGTH ? cut : undefined;
}

/** What uniqueness is checked on: "Alice", "alice" and "ＡＬＩＣＥ" collide. */
export function nicknameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim().replace(/\s+/gu, ' ');
}

/** Digits, symbols and foreign letters that pass for Latin letters in a name. */
const LOOK_ALIKES: Record<string, string> = {
  '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', '$': 's', '|': 'l', '!': 'l', i: 'l',
  // Cyrillic and Greek letters drawn like Latin ones.
  а: 'a', в: 'b', е: 'e', і: 'l', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  α: 'a', ε: 'e', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};

/**
 * What a name looks like once decorations are stripped: accents, spaces,
 * punctuation and emoji dropped, look-alike characters folded. "A.l-i_c e ✨",
 * "Alíce" and "A1ice" all have the skeleton of "Alice". Guests may not take a
 * name whose skeleton is an identified user's.
 */
export function nicknameSkeleton(name: string): string {
  let skeleton = '';
  for (const char of nicknameKey(name).normalize('NFD')) {
    const folded = LOOK_ALIKES[char] ?? char;
    if (/[\p{L}\p{N}]/u.test(folded)) skeleton += folded;
  }
  return skeleton;
}
