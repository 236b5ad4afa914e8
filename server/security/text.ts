/**
 * Text from the wire as it is stored and shown: Unicode NFC (one encoding per
 * character, so lengths and comparisons mean what they say), without control
 * characters other than newline and tab, and without bidi overrides and
 * isolates, which can make a message display something other than it says
 * (e.g. reverse a link or a file name), and without lone surrogates.
 */

/** C0 and C1 controls and DEL, except `\t` and `\n`. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
/** LRE, RLE, PDF, LRO, RLO and LRI, RLI, FSI, PDI. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;
/** Halves of surrogate pairs standing alone: not text, and they break UTF-8 encoders downstream. */
const LONE_SURROGATE = /\p{Cs}/gu;

/** Anything but printable ASCII, tab and newline: text without any (most chat messages) comes out of `normalizeText` as it went in. */
const NEEDS_WORK = /[^\t\n\u0020-\u007E]/;

export function normalizeText(raw: string): string {
  if (!NEEDS_WORK.test(raw)) return raw;
  return raw.replace(LONE_SURROGATE, '').normalize('NFC').replace(CONTROL, '').replace(BIDI_CONTROL, '');
}
