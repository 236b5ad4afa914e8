/**
 * Light formatting of a message's text, parsed into a token tree (pure: no
 * DOM, no HTML). `**bold**`, `_italic_`, `` `code` ``, fenced code blocks
 * (```), http(s) links (linkify.ts's rules), line breaks and mentions
 * `<@id>`. Everything else, HTML included, stays text: the renderer makes
 * elements only from these tokens, never from strings.
 *
 * Bounded on hostile input: every search for a closing marker starts where
 * the last one ended or stops at the end of its line, and a marker that is
 * not closed makes later searches for it end at once, so the work stays
 * linear in the text's length. Emphasis does not nest and does not cross a
 * line: markers inside bold or italic are text.
 */
import { MENTION_PATTERN } from '../../protocol/limits.js';
import { linkify } from '../linkify.js';

/** A leaf or an emphasis: what a line holds. */
export type Inline =
  | { t: 'text'; v: string }
  | { t: 'link'; v: string; href: string }
  /** A `<@id>` token (`id` may be `erased`); the renderer shows the name, or `raw` when it names no one known. */
  | { t: 'mention'; id: string; raw: string }
  | { t: 'code'; v: string }
  | { t: 'b' | 'i'; c: Inline[] };

/** The parsed text: inline tokens, line breaks and fenced code blocks. */
export type Token = Inline | { t: 'br' } | { t: 'pre'; v: string };

const FENCE = '```';
/** A fence's first line naming its language (`js`, `c++`), dropped from the block. */
const LANGUAGE = /^[\w+#.-]{1,20}\n/;

/** The token tree of `text`. */
export function parse(text: string): Token[] {
  const out: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf(FENCE, at);
    // A fence is closed by the next one; one never closed is text, and so is every fence after it.
    const close = open < 0 ? -1 : text.indexOf(FENCE, open + 3);
    if (close < 0) break;
    // The line break before a fence is the block's: a block starts a line of its own.
    lines(text.slice(at, open).replace(/\n$/, ''), out);
    let code = text.slice(open + 3, close);
    code = code.replace(LANGUAGE, '').replace(/^\n/, '').replace(/\n$/, '');
    out.push({ t: 'pre', v: code });
    at = close + 3;
    // The line break after a closing fence belongs to the block.
    if (text[at] === '\n') at++;
  }
  lines(text.slice(at), out);
  return out;
}

function lines(text: string, out: Token[]): void {
  if (!text) return;
  const all = text.split('\n');
  all.forEach((line, n) => {
    if (n) out.push({ t: 'br' });
    inline(line, out);
  });
}

/** Links and mentions in a line: atoms no marker may split. */
interface Atom {
  from: number;
  to: number;
  token: Inline;
}

const MAY_LINK = /https?:/i;

function atomsOf(line: string): Atom[] {
  const atoms: Atom[] = [];
  // Most lines have neither: skip the work (a text of many short lines stays fast).
  if (!MAY_LINK.test(line) && !line.includes('<@')) return atoms;
  let pos = 0;
  for (const s of linkify(line)) {
    if (s.kind === 'link') atoms.push({ from: pos, to: pos + s.text.length, token: { t: 'link', v: s.text, href: s.href } });
    pos += s.text.length;
  }
  for (const m of line.matchAll(MENTION_PATTERN)) {
    atoms.push({ from: m.index, to: m.index + m[0].length, token: { t: 'mention', id: m[1]!, raw: m[0] } });
  }
  return atoms.sort((a, b) => a.from - b.from);
}

/** What an underscore of italics may not touch on its outer side: `snake_case`, `__dunder__` and `a__b` stay text. */
const WORD = /[\p{L}\p{N}_]/u;
const SPACE = /\s/;

/** One line's tokens: emphasis and code spans around text, links and mentions. */
function inline(line: string, out: Token[]): void {
  if (!line) return;
  const atoms = atomsOf(line);
  let a = 0;
  /** Index of the atom that covers `pos`, or -1. */
  const inAtom = (pos: number) => {
    while (a < atoms.length && atoms[a]!.to <= pos) a++;
    return a < atoms.length && atoms[a]!.from <= pos ? a : -1;
  };
  /**
   * The next `marker` from `pos` outside every atom, or -1 (atoms are skipped
   * whole; `a` does not move, and the atoms crossed lie before the next opener).
   */
  const next = (marker: string, pos: number) => {
    let k = a;
    for (;;) {
      const at = line.indexOf(marker, pos);
      if (at < 0) return -1;
      while (k < atoms.length && atoms[k]!.to <= at) k++;
      if (k === atoms.length || atoms[k]!.from > at) return at;
      pos = atoms[k]!.to;
    }
  };
  // Markers with no closer left on the line: later openers of the same kind are text at once.
  const spent = { '`': false, '**': false, _: false };
  let textFrom = 0;
  let i = 0;
  // Leaves are asked for in order along the line: one cursor over the atoms keeps them linear.
  const cursor = { at: 0 };
  const flush = (to: number) => {
    if (to > textFrom) leaves(line, textFrom, to, atoms, cursor, out);
  };
  while (i < line.length) {
    const atom = inAtom(i);
    if (atom >= 0) {
      i = atoms[atom]!.to;
      continue;
    }
    const c = line[i]!;
    let end = -1;
    let token: Inline | undefined;
    if (c === '`' && !spent['`']) {
      const close = line.indexOf('`', i + 1);
      if (close < 0) spent['`'] = true;
      else if (close > i + 1) {
        end = close + 1;
        token = { t: 'code', v: line.slice(i + 1, close) };
      }
    } else if (c === '*' && line[i + 1] === '*' && !spent['**']) {
      const close = next('**', i + 2);
      if (close < 0) spent['**'] = true;
      else if (close > i + 2 && !SPACE.test(line[i + 2]!) && !SPACE.test(line[close - 1]!)) {
        end = close + 2;
        token = { t: 'b', c: [] };
      }
    } else if (c === '_' && !spent._ && !WORD.test(line[i - 1] ?? ' ')) {
      const close = next('_', i + 1);
      if (close < 0) spent._ = true;
      else if (close > i + 1 && /[^\s_]/.test(line[i + 1]!) && /[^\s_]/.test(line[close - 1]!) && !WORD.test(line[close + 1] ?? ' ')) {
        end = close + 1;
        token = { t: 'i', c: [] };
      }
    }
    if (!token) {
      i += c === '*' && line[i + 1] === '*' ? 2 : 1;
      continue;
    }
    flush(i);
    if (token.t === 'b' || token.t === 'i') {
      const inner = token.t === 'b' ? 2 : 1;
      leaves(line, i + inner, end - inner, atoms, cursor, token.c);
    }
    out.push(token);
    i = textFrom = end;
  }
  flush(line.length);
}

/** Text with the links and mentions inside [from, to): the content of emphasis, and the text between markers. */
function leaves(line: string, from: number, to: number, atoms: readonly Atom[], cursor: { at: number }, out: Token[]): void {
  let pos = from;
  for (; cursor.at < atoms.length; cursor.at++) {
    const atom = atoms[cursor.at]!;
    if (atom.to <= from) continue;
    if (atom.from >= to) break;
    // An atom a marker cut (a code span over a link's end) is text here.
    if (atom.from < from || atom.to > to) continue;
    if (atom.from > pos) out.push({ t: 'text', v: line.slice(pos, atom.from) });
    out.push(atom.token);
    pos = atom.to;
  }
  if (pos < to) out.push({ t: 'text', v: line.slice(pos, to) });
}

/** The tokens as plain text: markers dropped, mentions through `name` (a quote's excerpt, a notification). */
export function plainText(tokens: readonly Token[], name: (id: string, raw: string) => string): string {
  return tokens
    .map((k): string => {
      switch (k.t) {
        case 'b':
        case 'i':
          return plainText(k.c, name);
        case 'mention':
          return name(k.id, k.raw);
        case 'br':
          return '\n';
        default:
          return k.v;
      }
    })
    .join('');
}
