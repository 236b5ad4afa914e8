/** The emoji a visitor picked last, newest first, kept in this browser (localStorage) across reloads. */

export const RECENT_EMOJI_KEY = 'chat-room:recent-emoji';
export const RECENT_EMOJI_MAX = 24;

/** The recent emoji that are still `known` (what storage holds is the page's, so it is checked, not trusted). */
export function readRecent(known: (emoji: string) => boolean): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(RECENT_EMOJI_KEY) ?? '[]');
    return Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string' && known(e)).slice(0, RECENT_EMOJI_MAX) : [];
  } catch {
    return [];
  }
}

/** `emoji` becomes the most recent; answers the new list. */
export function rememberRecent(emoji: string, list: readonly string[]): string[] {
  const next = [emoji, ...list.filter((e) => e !== emoji)].slice(0, RECENT_EMOJI_MAX);
  try {
    localStorage.setItem(RECENT_EMOJI_KEY, JSON.stringify(next));
  } catch {
    // Storage full or blocked (private mode): the list lasts for this page.
  }
  return next;
}
