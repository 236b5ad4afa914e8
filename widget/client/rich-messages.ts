/**
 * How a held message follows a change (an edit, a reaction, a deletion), how
 * a reply's quote follows its original, and what a blocker sees of a room:
 * plain functions over protocol messages, no state.
 */
import { REPLY_EXCERPT_MAX, type ChatMessage, type MessageChanged, type MessageDeleted, type Reaction, type ReplyQuote, type UserId } from '../../protocol/index.js';

/** A quote's text: the original's first line, at most `REPLY_EXCERPT_MAX` code points (as the server makes it). */
export function excerpt(text: string): string {
  return [...text.split(/\r?\n/, 1)[0]!].slice(0, REPLY_EXCERPT_MAX).join('');
}

/** The quote of `original` in the replies to it. */
export function quoteOf(original: ChatMessage): ReplyQuote {
  const { id, seq, from, deleted } = original;
  return deleted ? { id, seq, from, excerpt: '', deleted } : { id, seq, from, excerpt: excerpt(original.text) };
}

/** The quote of a message deleted while only its replies are held (`from`: the author after an erase). */
export function deletedQuote(quote: ReplyQuote, { from }: MessageDeleted): ReplyQuote {
  return { id: quote.id, seq: quote.seq, from: from ?? quote.from, excerpt: '', deleted: true };
}

/** Whether two quotes show the same (a reaction to the original changes nothing in its quotes). */
export function sameQuote(a: ReplyQuote, b: ReplyQuote): boolean {
  return a.excerpt === b.excerpt && !a.deleted === !b.deleted && a.from.id === b.from.id && a.from.name === b.from.name;
}

/** A held message as its deletion leaves it: a tombstone with nothing but its place (and, after an erase, its new author). */
export function tombstone(held: ChatMessage, { from, rev }: MessageDeleted): ChatMessage {
  const { id, room, seq, clientId, at, to } = held;
  return {
    id,
    room,
    seq,
    clientId,
    at,
    text: '',
    deleted: true,
    from: from ?? held.from,
    ...(to ? { to } : {}),
    ...(rev ? { rev: Math.max(rev, held.rev ?? 0) } : held.rev ? { rev: held.rev } : {}),
  };
}

/**
 * The message of a live `message:changed` as the reader holds it: a
 * broadcast carries no `myReactions`, so the held ones are kept, moved by the
 * reaction when it is the reader's own.
 */
export function withMyReactions(changed: MessageChanged, held: ChatMessage | undefined, me: UserId | undefined): ChatMessage {
  const { message, reaction } = changed;
  let mine = held?.myReactions ?? [];
  if (reaction && reaction.user === me) {
    mine = mine.filter((e) => e !== reaction.emoji);
    if (reaction.on) mine = [...mine, reaction.emoji];
  }
  const { myReactions: _, ...rest } = message;
  return mine.length && !message.deleted ? { ...rest, myReactions: mine } : rest;
}

/**
 * Reactions without the blocked users: those named in `users` are taken out
 * of the names and the count (a blocked user beyond the first
 * `REACTION_NAMES_MAX` named cannot be told apart and stays counted); an emoji
 * left with no one goes.
 */
export function withoutBlocked(reactions: readonly Reaction[], blocked: ReadonlySet<UserId>): Reaction[] {
  const out: Reaction[] = [];
  for (const r of reactions) {
    const users = r.users.filter((u) => !blocked.has(u.id));
    const count = r.count - (r.users.length - users.length);
    if (count > 0) out.push(users.length === r.users.length ? r : { ...r, count, users });
  }
  return out;
}

/** What a blocker sees: the blocked users' messages left out, their reactions taken off the others. */
export function visibleTo(messages: readonly ChatMessage[], blocked: ReadonlySet<UserId>): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (blocked.has(m.from.id)) continue;
    if (!m.reactions?.some((r) => r.users.some((u) => blocked.has(u.id)))) {
      out.push(m);
      continue;
    }
    const { reactions: _, ...rest } = m;
    const reactions = withoutBlocked(m.reactions, blocked);
    out.push(reactions.length ? { ...rest, reactions } : rest);
  }
  return out;
}
