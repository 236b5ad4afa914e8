/**
 * Every statement both drivers run, written once (see `sql.ts` for the
 * placeholder style). Placeholders are named after the columns they fill, so
 * the rows of `rows.ts` are their parameters. What only one driver runs (its
 * seq counter, locking, check-first writes) lives in that driver.
 */
import { DIRECT_ROOM_PREFIX, ERASED_AUTHOR } from '../../protocol/index.js';
import { sql } from './sql.js';
import type { BanRow, MessageRow, NewBanRow, NewMessageRow, NewUserRow, PlainMessageRow, SiteRow, UserRow } from './rows.js';

const SITE_COLUMNS = [
  'id',
  'name',
  'origins',
  'allow_no_origin',
  'secret',
  'room_policy',
  'rooms',
  'read_only_rooms',
  'retention_days',
  'created',
  'rate_limit_scale',
  'id_key',
  'edit_window_minutes',
  'upload_max_bytes',
  'upload_max_pixels',
  'upload_quota_bytes',
] as const;
/** Set when the site is added, never by an update. */
const SITE_FIXED: readonly string[] = ['id', 'created', 'id_key'] satisfies (typeof SITE_COLUMNS)[number][];
const USER_COLUMNS = ['site', 'id', 'name', 'name_key', 'kind', 'avatar', 'skeleton', 'created'] as const;
export const MESSAGE_COLUMNS =
  'id, room, seq, client_id, sender_id, sender_name, sender_kind, recipient, text, at, deleted, sender_avatar, reply_to, edited_at, rev, image';
const PLAIN_MESSAGE_COLUMNS = ['id', 'site', 'room', 'seq', 'client_id', 'sender_id', 'sender_name', 'sender_kind', 'recipient', 'text', 'at'];
const NEW_MESSAGE_COLUMNS = [...PLAIN_MESSAGE_COLUMNS, 'sender_avatar', 'reply_to', 'image'];
const BAN_COLUMNS = 'id, kind, user_id, ip, until, reason, created';
const NEW_BAN_COLUMNS = ['id', 'site', 'kind', 'user_id', 'ip', 'until', 'reason', 'created'];

/** `INSERT INTO table (a, b) VALUES (:a, :b)`. */
export function insertInto(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `:${c}`).join(', ')})`;
}

/** Tables holding rows of a site besides `sites` (the PostgreSQL driver adds its seq counters). */
export const SITE_TABLES = ['bans', 'blocks', 'cursors', 'mentions', 'messages', 'privacy', 'reactions', 'room_revs', 'uploads', 'users'];

/** Deletes everything a table holds under the site id. */
export function deleteSiteRows(table: string) {
  return sql<{ site: string }>(`DELETE FROM ${table} WHERE site = :site`);
}

type BySite = { site: string };
type Id = { site: string; id: string };
type Room = { site: string; room: string };
type Exists = { one: number };

export const siteStatements = {
  get: sql<{ id: string }, SiteRow>(`SELECT ${SITE_COLUMNS.join(', ')} FROM sites WHERE id = :id`),
  list: sql<object, SiteRow>(`SELECT ${SITE_COLUMNS.join(', ')} FROM sites ORDER BY id COLLATE BINARY`),
  add: sql<SiteRow>(`${insertInto('sites', SITE_COLUMNS)} ON CONFLICT (id) DO NOTHING`),
  update: sql<SiteRow>(
    `UPDATE sites SET ${SITE_COLUMNS.filter((c) => !SITE_FIXED.includes(c))
      .map((c) => `${c} = :${c}`)
      .join(', ')} WHERE id = :id`,
  ),
  remove: sql<BySite>('DELETE FROM sites WHERE id = :site'),
};

export const userStatements = {
  get: sql<Id, UserRow>('SELECT id, name, kind, avatar FROM users WHERE site = :site AND id = :id'),
  idExists: sql<Id, Exists>('SELECT 1 AS one FROM users WHERE site = :site AND id = :id'),
  insert: sql<NewUserRow>(insertInto('users', USER_COLUMNS)),
  /** The insert where the unique constraints decide (PostgreSQL, several writers). */
  insertUnlessTaken: sql<NewUserRow>(`${insertInto('users', USER_COLUMNS)} ON CONFLICT DO NOTHING`),
  rename: sql<Id & { name: string; name_key: string; skeleton: string }>(
    'UPDATE users SET name = :name, name_key = :name_key, skeleton = :skeleton WHERE site = :site AND id = :id',
  ),
  saveIdentified: sql<NewUserRow>(
    `${insertInto('users', USER_COLUMNS)}
     ON CONFLICT (site, id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key,
       avatar = excluded.avatar, skeleton = excluded.skeleton`,
  ),
  identifiedBySkeleton: sql<{ site: string; skeleton: string; exceptId: string }, { id: string }>(
    "SELECT id FROM users WHERE site = :site AND skeleton = :skeleton AND kind = 'user' AND id <> :exceptId LIMIT 1",
  ),
};

export const messageStatements = {
  byClientId: sql<{ site: string; sender_id: string; client_id: string }, MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = :site AND sender_id = :sender_id AND client_id = :client_id`,
  ),
  lastSeq: sql<Room, { seq: number }>('SELECT COALESCE(MAX(seq), 0) AS seq FROM messages WHERE site = :site AND room = :room'),
  insert: sql<NewMessageRow>(insertInto('messages', NEW_MESSAGE_COLUMNS)),
  /** A message without an avatar or a reply (most): binding fewer parameters makes the hot insert measurably cheaper. */
  insertPlain: sql<PlainMessageRow>(insertInto('messages', PLAIN_MESSAGE_COLUMNS)),
  // Each page reads one row more than asked to learn whether more exist.
  newest: sql<Room & { take: number }, MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = :site AND room = :room ORDER BY seq DESC LIMIT :take`,
  ),
  before: sql<Room & { seq: number; take: number }, MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = :site AND room = :room AND seq < :seq ORDER BY seq DESC LIMIT :take`,
  ),
  after: sql<Room & { seq: number; take: number }, MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = :site AND room = :room AND seq > :seq ORDER BY seq ASC LIMIT :take`,
  ),
  get: sql<Id, MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = :site AND id = :id`),
  tombstone: sql<Id & { rev: number }, MessageRow>(
    `UPDATE messages SET text = '', deleted = TRUE, reply_to = NULL, edited_at = NULL, image = NULL, rev = :rev
     WHERE site = :site AND id = :id RETURNING ${MESSAGE_COLUMNS}`,
  ),
  edit: sql<Id & { text: string; edited_at: number; rev: number }, MessageRow>(
    `UPDATE messages SET text = :text, edited_at = :edited_at, rev = :rev WHERE site = :site AND id = :id RETURNING ${MESSAGE_COLUMNS}`,
  ),
  prune: sql<{ site: string; before: number }>('DELETE FROM messages WHERE site = :site AND at < :before'),
  by: sql<{ site: string; sender_id: string }, MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE site = :site AND sender_id = :sender_id ORDER BY at, room COLLATE BINARY, seq`,
  ),
};

export const cursorStatements = {
  get: sql<{ site: string; user_id: string; room: string }, { seq: number }>(
    'SELECT seq FROM cursors WHERE site = :site AND user_id = :user_id AND room = :room',
  ),
  advance: sql<{ site: string; user_id: string; room: string; seq: number; updated: number }>(
    `INSERT INTO cursors (site, user_id, room, seq, updated) VALUES (:site, :user_id, :room, :seq, :updated)
     ON CONFLICT (site, user_id, room) DO UPDATE SET seq = excluded.seq, updated = excluded.updated
     WHERE excluded.seq > cursors.seq`,
  ),
  // The LIMIT bounds the index range read, whoever sent the messages in it.
  countUnread: sql<Room & { afterSeq: number; reader: string; window: number }, { seen: number; n: number }>(
    `SELECT COUNT(*) AS seen, COUNT(*) FILTER (WHERE sender_id <> :reader AND NOT deleted) AS n
     FROM (SELECT sender_id, deleted FROM messages WHERE site = :site AND room = :room AND seq > :afterSeq ORDER BY seq LIMIT :window) AS w`,
  ),
};

export const banStatements = {
  insert: sql<NewBanRow>(insertInto('bans', NEW_BAN_COLUMNS)),
  remove: sql<Id>('DELETE FROM bans WHERE site = :site AND id = :id'),
  active: sql<{ site: string; now: number }, BanRow>(
    `SELECT ${BAN_COLUMNS} FROM bans WHERE site = :site AND until > :now ORDER BY created`,
  ),
};

export type ErasedParams = ReturnType<typeof erasedParams>;

/**
 * The parameters of every erase statement. `dmFirst` / `dmLast` match the
 * conversation names `dm:<id>:<other>` / `dm:<other>:<id>` of the user.
 */
export function erasedParams(site: string, userId: string) {
  return {
    site,
    userId,
    erasedId: ERASED_AUTHOR.id,
    erasedName: ERASED_AUTHOR.name,
    erasedKind: ERASED_AUTHOR.kind,
    dmPrefix: DIRECT_ROOM_PREFIX,
    dmFirst: `${DIRECT_ROOM_PREFIX}${userId}:`,
    dmLast: `:${userId}`,
    mentionToken: `<@${userId}>`,
    erasedToken: `<@${ERASED_AUTHOR.id}>`,
  };
}

/** `room` is a private conversation of `:userId` (by its name, so also one retention already emptied). */
export const IS_USERS_CONVERSATION = `(
  substr(room, 1, length(CAST(:dmPrefix AS TEXT))) = :dmPrefix AND (
    substr(room, 1, length(CAST(:dmFirst AS TEXT))) = :dmFirst OR
    substr(room, length(room) - length(CAST(:dmLast AS TEXT)) + 1) = :dmLast))`;

/** How a room message of an erased user is kept: a tombstone by `ERASED_AUTHOR`, its client id replaced. */
export const ANONYMISED = `text = '', deleted = TRUE, sender_id = :erasedId, sender_name = :erasedName,
  sender_kind = :erasedKind, client_id = messages.id, sender_avatar = NULL, reply_to = NULL, edited_at = NULL, image = NULL`;

/**
 * The steps of `eraseUser` both drivers run, in this order, after tombstoning
 * the user's room messages (each driver its own way, with `ANONYMISED`).
 */
export const eraseStatements = {
  /** Answers how many private messages were removed. */
  privateMessages: sql<ErasedParams>(
    'DELETE FROM messages WHERE site = :site AND recipient IS NOT NULL AND (sender_id = :userId OR recipient = :userId)',
  ),
  cursors: sql<ErasedParams>(`DELETE FROM cursors WHERE site = :site AND (user_id = :userId OR ${IS_USERS_CONVERSATION})`),
  bansOnUserAlone: sql<ErasedParams>('DELETE FROM bans WHERE site = :site AND user_id = :userId AND ip IS NULL'),
  bansWithAddress: sql<ErasedParams>('UPDATE bans SET user_id = :erasedId, reason = NULL WHERE site = :site AND user_id = :userId'),
  profile: sql<ErasedParams>('DELETE FROM users WHERE site = :site AND id = :userId'),
  /** Their uploads stay (a sweep removes them with the tombstoned messages' images), owned by no one. */
  uploads: sql<ErasedParams>('UPDATE uploads SET user_id = :erasedId WHERE site = :site AND user_id = :userId'),
  /** The change counters of their private conversations. */
  roomRevs: sql<ErasedParams>(`DELETE FROM room_revs WHERE site = :site AND ${IS_USERS_CONVERSATION}`),
};
