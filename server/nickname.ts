/** Nickname rules: how a requested name is cleaned, checked and compared. */
import unhomoglyph from 'unhomoglyph';
import { NICKNAME_MAX_LENGTH, NICKNAME_MIN_LENGTH } from '../protocol/index.js';

/**
 * Control characters, lone surrogates, bidi overrides/isolates and invisible
 * characters: they could hide or disguise a name. Invisible means Unicode's
 * default-ignorable code points (zero-width characters, fillers such as
 * U+3164 HANGUL FILLER, soft hyphen, variation selectors, tags…) plus the
 * blank U+2800 BRAILLE PATTERN BLANK. Joiners, variation selectors and tags
 * inside an emoji sequence are allowed (see `withoutForbidden`).
 */
const FORBIDDEN = /[\p{Cc}\p{Cs}\p{Default_Ignorable_Code_Point}\u202A-\u202E\u2066-\u2069\u2800]/u;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');
/** Built at run time: the `v` flag (Unicode sets, `\p{RGI_Emoji}`) is newer than the compile target. */
const RGI_EMOJI = new RegExp('\\p{RGI_Emoji}', 'gv');

/** The text without forbidden characters, except inside complete emoji sequences. */
function withoutForbidden(text: string): string {
  let kept = '';
  let from = 0;
  for (const emoji of text.matchAll(RGI_EMOJI)) {
    kept += text.slice(from, emoji.index).replace(FORBIDDEN_ALL, '') + emoji[0];
    from = emoji.index + emoji[0].length;
  }
  return kept + text.slice(from).replace(FORBIDDEN_ALL, '');
}

/** The name as displayed: trimmed, runs of whitespace collapsed to one space; undefined when not allowed. */
export function cleanNickname(raw: string): string | undefined {
  const spaced = raw.replace(/[\t\n\r]/g, ' ');
  if (withoutForbidden(spaced) !== spaced) return undefined;
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
  const name = withoutForbidden(raw.normalize('NFC')).trim().replace(/\s+/gu, ' ');
  const cut = [...name].slice(0, NICKNAME_MAX_LENGTH).join('').trim();
  return [...cut].length >= NICKNAME_MIN_LENGTH ? cut : undefined;
}

/**
 * What uniqueness is checked on: the skeleton, so that no two guests hold
 * names that look alike ("Bobby", "B0bby", "Bοbby" with a Greek omicron).
 * Names with no letter or digit (emoji only) are compared as written, after
 * NFKC and lower-casing; the `~` keeps them apart from any skeleton.
 */
export function nicknameKey(name: string): string {
  return nicknameSkeleton(name) || `~${foldCase(name)}`;
}

function foldCase(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim().replace(/\s+/gu, ' ');
}

/** Digits, symbols and foreign letters that pass for Latin letters in a lower-case name, beyond Unicode's confusables. */
const LOOK_ALIKES: Record<string, string> = {
  '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', '$': 's', '|': 'l', '!': 'l', i: 'l',
  // Lower-case Cyrillic and Greek letters whose confusables are small capitals rather than Latin letters.
  а: 'a', в: 'b', е: 'e', і: 'l', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  α: 'a', ε: 'e', ι: 'l', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
};

function foldLookAlikes(text: string): string {
  let folded = '';
  for (const char of text) folded += LOOK_ALIKES[char] ?? char;
  return folded;
}

/**
 * What a name looks like once decorations are stripped: the confusable
 * skeleton of Unicode's UTS #39 (its confusables data, through `unhomoglyph`)
 * taken case-insensitively, with accents, spaces, punctuation, emoji and
 * invisible characters dropped and a few more look-alikes folded. "Alice",
 * "ALICE", "Alıce", "AIice", "Аlice" (Cyrillic А), "𝐀lice", "A.l-i_c e ✨" and
 * "Alíce" share one skeleton, as do "m" and "rn". Guests may not take a name
 * whose skeleton is an identified user's or another guest's.
 */
export function nicknameSkeleton(name: string): string {
  const lower = foldLookAlikes(foldCase(name)).normalize('NFD');
  // Confusables map some lower-case letters to upper-case prototypes ("0" to "O"): fold case once more after.
  const prototype = foldLookAlikes(unhomoglyph(lower).normalize('NFD').toLowerCase());
  let skeleton = '';
  for (const char of prototype) {
    if (/[\p{L}\p{N}]/u.test(char) && !FORBIDDEN.test(char)) skeleton += char;
  }
  return skeleton;
}
