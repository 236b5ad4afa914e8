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

/**
 * A valid room name for a page path: `/blog/post-1/` → `page:/blog/post-1`.
 * Characters outside `ROOM_NAME_PATTERN` become `-`; long paths are cut and
 * end in `~<hash of the whole path>` so distinct pages stay distinct.
 */
export function roomFromPath(pathname: string): string {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    /* keep it encoded */
  }
  path = path.replace(/\/+$/, '') || '/';
  const clean = 'page:' + path.replace(/[^A-Za-z0-9._~:/-]/g, '-');
  if (clean.length <= ROOM_NAME_MAX_LENGTH && clean === 'page:' + path) return clean;
  const suffix = '~' + shortHash(path);
  return clean.length + suffix.length <= ROOM_NAME_MAX_LENGTH
    ? clean + suffix
    : clean.slice(0, ROOM_NAME_MAX_LENGTH - suffix.length) + suffix;
}

/** The room an element's `room` attribute stands for. */
export function resolveRoom(room: string | null | undefined, pathname: string): string {
  const r = (room ?? '').trim();
  return !r ? 'lobby' : r === AUTO_ROOM ? roomFromPath(pathname) : r;
}
