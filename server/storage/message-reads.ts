/**
 * Resolving what a stored message points at, for a whole page at once: the
 * quote of the message it answers, its reactions (current names), the
 * reader's own reactions and its mentions (current names). `readPlan` says
 * which of those reads a page needs (none for plain messages: a message
 * without a reply, a change or a `<@` token costs no query); each driver runs
 * them its way and `withReads` puts the answers together.
 */
import { REACTION_NAMES_MAX, REPLY_EXCERPT_MAX } from '../../protocol/index.js';
import type { ChatMessage, Reaction, ReplyQuote, UserInfo } from '../../protocol/index.js';
import { toMessage, toUser } from './rows.js';
import type { Flag, MessageRow } from './rows.js';

export interface QuoteRow {
  id: string;
  seq: number;
  sender_id: string;
  sender_name: string;
  sender_kind: string;
  sender_avatar: string | null;
  text: string;
  deleted: Flag;
  /** The original carries an image. */
  has_image: Flag;
}

/** One of the first reactors of an emoji on a message, `n` the emoji's count there; no name when not a user (any more). */
export interface ReactionRow {
  message_id: string;
  emoji: string;
  user_id: string;
  n: number;
  name: string | null;
  kind: string | null;
  avatar: string | null;
}

export interface MineRow {
  message_id: string;
  emoji: string;
}

export interface MentionRow {
  message_id: string;
  id: string;
  name: string;
  kind: string;
  avatar: string | null;
}

type Ids = { site: string; ids: string };

/**
 * The reads a page needs, as parameters of `quoteStatements.originals`,
 * `reactionStatements.ofMessages` / `.mine`, `mentionStatements.ofMessages`.
 */
export interface ReadPlan {
  quotes?: Ids;
  reactions?: Ids & { names: number };
  mine?: Ids & { reader: string };
  mentions?: Ids;
}

/** What the reads of a plan answered. */
export interface PageReads {
  quotes?: QuoteRow[];
  reactions?: ReactionRow[];
  mine?: MineRow[];
  mentions?: MentionRow[];
}

function ids(site: string, list: string[]): Ids | undefined {
  return list.length ? { site, ids: JSON.stringify([...new Set(list)]) } : undefined;
}

export function readPlan(site: string, rows: readonly MessageRow[], reader?: string): ReadPlan {
  const live = rows.filter((row) => !row.deleted);
  const replies = ids(
    site,
    live.flatMap((row) => (row.reply_to === null ? [] : [row.reply_to])),
  );
  // Only a message that changed since it was sent can carry reactions.
  const changed = ids(
    site,
    live.filter((row) => row.rev !== null).map((row) => row.id),
  );
  const mentioning = ids(
    site,
    live.filter((row) => row.text.includes('<@')).map((row) => row.id),
  );
  const plan: ReadPlan = {};
  if (replies) plan.quotes = replies;
  if (changed) plan.reactions = { ...changed, names: REACTION_NAMES_MAX };
  if (changed && reader !== undefined) plan.mine = { ...changed, reader };
  if (mentioning) plan.mentions = mentioning;
  return plan;
}

/** The messages of `rows` (in their order) with what the reads answered. */
export function withReads(rows: readonly MessageRow[], reads: PageReads): ChatMessage[] {
  if (!reads.quotes && !reads.reactions && !reads.mentions) return rows.map(toMessage);
  const quotes = new Map((reads.quotes ?? []).map((row) => [row.id, toQuote(row)]));
  const reactions = groupReactions(reads.reactions ?? []);
  const mine = group(reads.mine ?? [], (row) => row.emoji);
  const mentions = group(reads.mentions ?? [], (row) => toUser(row));
  return rows.map((row) => {
    const message = toMessage(row);
    if (message.deleted) return message;
    const quote = row.reply_to === null ? undefined : quotes.get(row.reply_to);
    if (quote) message.replyTo = quote;
    const itsReactions = reactions.get(row.id);
    if (itsReactions) message.reactions = itsReactions;
    const itsMine = mine.get(row.id);
    if (itsMine) message.myReactions = itsMine;
    const itsMentions = mentions.get(row.id);
    if (itsMentions) message.mentions = itsMentions;
    return message;
  });
}

/** The first line of a text, at most `REPLY_EXCERPT_MAX` code points. */
export function excerpt(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return [...line].slice(0, REPLY_EXCERPT_MAX).join('');
}

function toQuote(row: QuoteRow): ReplyQuote {
  const from: UserInfo = { id: row.sender_id, name: row.sender_name, kind: row.sender_kind === 'user' ? 'user' : 'guest' };
  if (row.sender_avatar !== null) from.avatar = row.sender_avatar;
  const quote: ReplyQuote = { id: row.id, seq: row.seq, from, excerpt: row.deleted ? '' : excerpt(row.text) };
  if (row.deleted) quote.deleted = true;
  if (row.has_image) quote.image = true;
  return quote;
}

function groupReactions(rows: readonly ReactionRow[]): Map<string, Reaction[]> {
  const byMessage = new Map<string, Reaction[]>();
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    if (!byMessage.has(row.message_id)) byMessage.set(row.message_id, list);
    let reaction = list.find((r) => r.emoji === row.emoji);
    if (!reaction) {
      reaction = { emoji: row.emoji, count: row.n, users: [] };
      list.push(reaction);
    }
    const kind = row.kind ?? (row.user_id.startsWith('u_') ? 'user' : 'guest');
    reaction.users.push(toUser({ id: row.user_id, name: row.name ?? '', kind, avatar: row.avatar }));
  }
  return byMessage;
}

function group<R extends { message_id: string }, T>(rows: readonly R[], value: (row: R) => T): Map<string, T[]> {
  const byMessage = new Map<string, T[]>();
  for (const row of rows) {
    const list = byMessage.get(row.message_id);
    if (list) list.push(value(row));
    else byMessage.set(row.message_id, [value(row)]);
  }
  return byMessage;
}
