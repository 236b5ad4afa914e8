/** Nickname rules: how a requested name is cleaned, checked and compared. */
import { NICKNAME_MAX_LENGTH, NICKNAME_MIN_LENGTH } from '../protocol/index.js';

/**
 * Control characters, bidi overrides/isolates and invisible spaces: they could
 * hide or disguise a name. Joiners stay allowed (emoji sequences need them).
 */
const FORBIDDEN = /[\p{Cc}\u200B\u202A-\u202E\u2066-\u2069\uFEFF]/u;

/** The name as displayed: trimmed, runs of whitespace collapsed to one space; undefined when not allowed. */
export function cleanNickname(raw: string): string | undefined {
  if (FORBIDDEN.test(raw.replace(/[\t\n\r]/g, ' '))) return undefined;
  const name = raw.trim().replace(/\s+/gu, ' ');
  const length = [...name].length;
  if (length < NICKNAME_MIN_LENGTH || length > NICKNAME_MAX_LENGTH) return undefined;
  return name;
}

/** What uniqueness is checked on: "Alice", "alice" and "ＡＬＩＣＥ" collide. */
export function nicknameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().trim().replace(/\s+/gu, ' ');
}
