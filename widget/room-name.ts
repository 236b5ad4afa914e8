import { ROOM_NAME_MAX_LENGTH } from '../protocol/index.js';

/** The `room` value that means "one room per page". */
export const AUTO_ROOM = 'auto';

/** Short, stable hash (FNV-1a, 32 bit, base 36) used to keep truncated names unique. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** One character a room name may not hold (see `ROOM_NAME_PATTERN`). */
const NOT_IN_ROOM_NAME = /\p{Default_Ignorable_Code_Point}|[^\p{L}\p{M}\p{N}._~:/-]/gu;

/** Decodes each run of percent-escapes that is valid UTF-8, keeping the others as they are. */
function percentDecode(path: string): string {
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * A valid room name for a page path, in its own script: `/blog/post-1/` →
 * `page:/blog/post-1`, `/%E5%A4%A7%E5%8E%85` → `page:/大厅`. Characters a
 * room name may not hold become `-`; long paths are cut (in code points) and
 * end in `~<hash of the whole path>` so distinct pages stay distinct.
 */
export function roomFromPath(pathname: string): string {
  const path = percentDecode(pathname).normalize('NFC').replace(/\/+$/, '') || '/';
  const clean = [...('page:' + path.replace(NOT_IN_ROOM_NAME, '-'))];
  if (clean.length <= ROOM_NAME_MAX_LENGTH && clean.join('') === 'page:' + path) return clean.join('');
  const suffix = '~' + shortHash(path);
  return clean.slice(0, ROOM_NAME_MAX_LENGTH - suffix.length).join('') + suffix;
}

/** The room an element's `room` attribute stands for. */
export function resolveRoom(room: string | null | undefined, pathname: string): string {
  const r = (room ?? '').trim();
  // NFC, as the server names rooms: the room's messages then carry this very name.
  return !r ? 'lobby' : r === AUTO_ROOM ? roomFromPath(pathname) : r.normalize('NFC');
}
