/** The users a message's text mentions: its `<@userId>` tokens that name users of the site. */
import { ERASED_AUTHOR, ErrorCode, MENTIONS_MAX, MENTION_PATTERN } from '../../protocol/index.js';
import type { Ack, UserId } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import type { ChatStore } from '../storage/store.js';

/** The distinct ids the text's tokens name, in order of first use (`<@erased>` names no one). */
export function mentionTokens(text: string): UserId[] {
  const ids = new Set<UserId>();
  for (const [, id] of text.matchAll(MENTION_PATTERN)) if (id !== ERASED_AUTHOR.id) ids.add(id!);
  return [...ids];
}

/**
 * The mentioned users that exist (stored users of the site; a token naming
 * no one stays literal text). More than `MENTIONS_MAX` distinct tokens is
 * refused before any lookup, so a text costs one bounded query at most.
 */
export async function resolveMentions(store: ChatStore, site: string, text: string): Promise<Ack<UserId[]>> {
  const ids = mentionTokens(text);
  if (ids.length > MENTIONS_MAX) return fail(ErrorCode.TooManyMentions, `a message may mention at most ${MENTIONS_MAX} users`);
  if (ids.length === 0) return ok([]);
  const existing = new Set(await store.existingUsers(site, ids));
  return ok(ids.filter((id) => existing.has(id)));
}
