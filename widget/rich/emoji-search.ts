/** The picker's emoji list, parsed once from the compact generated module, and its search. */
import { EMOJI_GROUPS, type EmojiGroup } from './emoji-data.js';

export interface Emoji {
  emoji: string;
  name: string;
  group: EmojiGroup;
}

/** Results shown for a search at most. */
export const SEARCH_MAX = 160;

let all: Emoji[] | undefined;
let byEmoji: Map<string, Emoji> | undefined;

export function allEmoji(): Emoji[] {
  all ??= EMOJI_GROUPS.flatMap(([group, list]) =>
    list.split('|').map((entry) => {
      const space = entry.indexOf(' ');
      return { emoji: entry.slice(0, space), name: entry.slice(space + 1), group };
    }),
  );
  return all;
}

export function findEmoji(emoji: string): Emoji | undefined {
  byEmoji ??= new Map(allEmoji().map((e) => [e.emoji, e]));
  return byEmoji.get(emoji);
}

export function groupEmoji(group: EmojiGroup): Emoji[] {
  return allEmoji().filter((e) => e.group === group);
}

/** Emoji whose name has a word starting with each word of `query` (case-insensitive), names starting with it first. */
export function searchEmoji(query: string): Emoji[] {
  const words = query.toLowerCase().split(/[\s:_-]+/).filter(Boolean);
  if (!words.length) return [];
  const hits = allEmoji().filter((e) => {
    const name = e.name.toLowerCase().split(/[\s:_-]+/);
    return words.every((w) => name.some((n) => n.startsWith(w)));
  });
  const first = words[0]!;
  return hits.sort((a, b) => +!a.name.toLowerCase().startsWith(first) - +!b.name.toLowerCase().startsWith(first)).slice(0, SEARCH_MAX);
}
