/**
 * Statements of rich messages both drivers run (protocol 4): the per-room
 * change numbers (`room_revs`), reactions, mentions, the reads that resolve a
 * page's quotes, reactions and mentions (lists bound as one JSON array, see
 * `sql.ts`), and what erase and retention add for these tables.
 */
import { sql, sqlEach } from './sql.js';
import type { MessageRow } from './rows.js';
import type { ErasedParams } from './statements.js';
import { MESSAGE_COLUMNS } from './statements.js';
import type { MentionRow, MineRow, QuoteRow, ReactionRow } from './message-reads.js';

type Room = { site: string; room: string };
type Id = { site: string; id: string };
/** `ids`: a JSON array of message (or user) ids. */
export type Ids = { site: string; ids: string };
type OneReaction = { site: string; message_id: string; emoji: string; user_id: string };

export const revStatements = {
  // PostgreSQL: waits for any other node's transaction holding this room's counter, so revs commit in order.
  next: sql<Room, { rev: number }>(
    `INSERT INTO room_revs (site, room, rev) VALUES (:site, :room, 1)
     ON CONFLICT (site, room) DO UPDATE SET rev = room_revs.rev + 1 RETURNING rev`,
  ),
  last: sql<Room, { rev: number }>('SELECT COALESCE(MAX(rev), 0) AS rev FROM room_revs WHERE site = :site AND room = :room'),
  stamp: sql<Id & { rev: number }>('UPDATE messages SET rev = :rev WHERE site = :site AND id = :id'),
  // Bounded by `upTo` (the room's counter read first), so a change committing meanwhile is left for the next page.
  changed: sql<Room & { after: number; upTo: number; take: number }, MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages
     WHERE site = :site AND room = :room AND rev > :after AND rev <= :upTo ORDER BY rev LIMIT :take`,
  ),
};

export const reactionStatements = {
  /** How many distinct emoji the message has, and how many reactions with this one. */
  kinds: sql<{ site: string; message_id: string; emoji: string }, { kinds: number; same: number }>(
    `SELECT COUNT(DISTINCT emoji) AS kinds, COUNT(*) FILTER (WHERE emoji = :emoji) AS same
     FROM reactions WHERE site = :site AND message_id = :message_id`,
  ),
  add: sql<OneReaction & { at: number }>(
    `INSERT INTO reactions (site, message_id, emoji, user_id, at) VALUES (:site, :message_id, :emoji, :user_id, :at)
     ON CONFLICT DO NOTHING`,
  ),
  remove: sql<OneReaction>(
    'DELETE FROM reactions WHERE site = :site AND message_id = :message_id AND emoji = :emoji AND user_id = :user_id',
  ),
  /** Per message and emoji (in order of first use): the count and the first `names` reactors with their current names. */
  ofMessages: sql<Ids & { names: number }, ReactionRow>(
    `SELECT w.message_id, w.emoji, w.user_id, w.n, u.name, u.kind, u.avatar FROM (
       SELECT site, message_id, emoji, user_id,
         ROW_NUMBER() OVER (PARTITION BY message_id, emoji ORDER BY id) AS k,
         COUNT(*) OVER (PARTITION BY message_id, emoji) AS n,
         MIN(id) OVER (PARTITION BY message_id, emoji) AS first
       FROM reactions WHERE site = :site AND message_id IN (SELECT value FROM json_each(:ids))
     ) AS w LEFT JOIN users u ON u.site = w.site AND u.id = w.user_id
     WHERE w.k <= :names ORDER BY w.first, w.k`,
  ),
  mine: sql<Ids & { reader: string }, MineRow>(
    `SELECT message_id, emoji FROM reactions
     WHERE site = :site AND user_id = :reader AND message_id IN (SELECT value FROM json_each(:ids)) ORDER BY id`,
  ),
  dropFor: sql<Id>('DELETE FROM reactions WHERE site = :site AND message_id = :id'),
};

export const mentionStatements = {
  insert: sql<{ site: string; message_id: string; user_id: string; ord: number }>(
    'INSERT INTO mentions (site, message_id, user_id, ord) VALUES (:site, :message_id, :user_id, :ord) ON CONFLICT DO NOTHING',
  ),
  /** Users erased since are left out (their rows went with them). */
  ofMessages: sql<Ids, MentionRow>(
    `SELECT m.message_id, u.id, u.name, u.kind, u.avatar FROM mentions m JOIN users u ON u.site = m.site AND u.id = m.user_id
     WHERE m.site = :site AND m.message_id IN (SELECT value FROM json_each(:ids)) ORDER BY m.message_id, m.ord`,
  ),
  dropFor: sql<Id>('DELETE FROM mentions WHERE site = :site AND message_id = :id'),
};

const QUOTE_COLUMNS = 'm.id, m.seq, m.sender_id, m.sender_name, m.sender_kind, m.sender_avatar, m.text, m.deleted, (m.image IS NOT NULL) AS has_image';

export const quoteStatements = {
  // Each id one primary-key lookup: SQLite led by the list (CROSS JOIN keeps its order), PostgreSQL by `id = ANY`.
  originals: sqlEach<Ids, QuoteRow>(
    `SELECT ${QUOTE_COLUMNS} FROM json_each(:ids) AS j CROSS JOIN messages AS m WHERE m.id = j.value AND m.site = :site`,
    `SELECT ${QUOTE_COLUMNS} FROM messages AS m WHERE m.id IN (SELECT value FROM json_each(:ids)) AND m.site = :site`,
  ),
};

export const existingUsersStatement = sql<Ids, { id: string }>(
  'SELECT id FROM users WHERE site = :site AND id IN (SELECT value FROM json_each(:ids))',
);

/** Retention: the reactions and mentions of the messages `messageStatements.prune` deletes, run before it. */
export const pruneRichStatements = {
  reactions: sql<{ site: string; before: number }>(
    'DELETE FROM reactions WHERE site = :site AND message_id IN (SELECT id FROM messages WHERE site = :site AND at < :before)',
  ),
  mentions: sql<{ site: string; before: number }>(
    'DELETE FROM mentions WHERE site = :site AND message_id IN (SELECT id FROM messages WHERE site = :site AND at < :before)',
  ),
};

/** Messages the user sent or received (their own, which erase tombstones or removes). */
const THEIR_MESSAGES = `SELECT id FROM messages WHERE site = :site AND (sender_id = :userId OR recipient = :userId)`;
/** Others' messages the user reacted to or is mentioned in. */
const TOUCHED = `SELECT message_id FROM reactions WHERE site = :site AND user_id = :userId
  UNION SELECT message_id FROM mentions WHERE site = :site AND user_id = :userId`;

/**
 * Erase's steps for these tables, both drivers, in this order: `ownRows`
 * before the user's messages are tombstoned or removed; then `touched` (each
 * takes a change number), `rewriteMentions` and the rest.
 */
export const eraseRichStatements = {
  reactionsOnTheirMessages: sql<ErasedParams>(`DELETE FROM reactions WHERE site = :site AND message_id IN (${THEIR_MESSAGES})`),
  mentionsInTheirMessages: sql<ErasedParams>(`DELETE FROM mentions WHERE site = :site AND message_id IN (${THEIR_MESSAGES})`),
  touched: sql<ErasedParams, { id: string; room: string }>(
    `SELECT id, room FROM messages WHERE site = :site AND id IN (${TOUCHED}) ORDER BY room COLLATE BINARY, seq`,
  ),
  rewriteMentions: sql<ErasedParams>(
    `UPDATE messages SET text = replace(text, :mentionToken, :erasedToken)
     WHERE site = :site AND id IN (SELECT message_id FROM mentions WHERE site = :site AND user_id = :userId)`,
  ),
  reactionsBy: sql<ErasedParams>('DELETE FROM reactions WHERE site = :site AND user_id = :userId'),
  mentionsOf: sql<ErasedParams>('DELETE FROM mentions WHERE site = :site AND user_id = :userId'),
  blocks: sql<ErasedParams>('DELETE FROM blocks WHERE site = :site AND (user_id = :userId OR target = :userId)'),
  privacy: sql<ErasedParams>('DELETE FROM privacy WHERE site = :site AND user_id = :userId'),
};
