/**
 * The order members are listed and paged in: by case-folded name, then id.
 * Each member has a sort key `<folded name>\0<id>`, compared by code point,
 * which is the byte order of its UTF-8 (Redis' order for a ZSET of score 0),
 * so the in-memory and the Redis stores list a room alike.
 */
import type { UserInfo } from '../../protocol/index.js';

/** A name as searched and sorted: names are stored in NFC already. */
export function foldName(name: string): string {
  return name.toLowerCase();
}

export function sortKey(user: UserInfo): string {
  return `${foldName(user.name)}\0${user.id}`;
}

/** The user id a sort key ends with. */
export function idOfKey(key: string): string {
  return key.slice(key.indexOf('\0') + 1);
}

/** Code point order: UTF-16 units compared with the surrogates moved above U+E000–U+FFFF. */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** `next` of a page is the last key, opaque to clients. */
export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** What a `presence:list` asks a store for. */
export interface MemberQuery {
  /** Folded prefix of the names wanted ('' for all). */
  prefix: string;
  /** Only keys after this one. */
  after?: string;
  limit: number;
}

export interface MemberPage {
  /** Members of the room, whatever the query. */
  count: number;
  members: UserInfo[];
  /** The last key of the page, when more follow. */
  last?: string;
}
