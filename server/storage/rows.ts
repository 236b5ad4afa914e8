/**
 * The rows both SQL drivers write and read back, and how they map to and from
 * protocol objects. A row's keys are its column names, and the statements'
 * placeholders are named after them, so a row is also the parameters that
 * write it. Both drivers hand back the same shapes: lists as JSON text (the
 * PostgreSQL driver reads JSONB as text), flags as 0/1 (SQLite) or booleans
 * (PostgreSQL; the SQLite driver binds booleans as 0/1).
 */
import { ROOM_POLICIES } from './store.js';
import type { BanDraft, HistoryQuery, MessageDraft, NewUser, RoomPolicy, Site } from './store.js';
import type { BanInfo, ChatMessage, ImageInfo, UserInfo } from '../../protocol/index.js';

/** 0/1 in SQLite, a boolean in PostgreSQL. */
export type Flag = number | boolean;

export interface SiteRow {
  id: string;
  name: string;
  /** JSON array. */
  origins: string;
  allow_no_origin: Flag;
  secret: string;
  room_policy: string;
  /** JSON array. */
  rooms: string;
  /** JSON array. */
  read_only_rooms: string;
  retention_days: number | null;
  created: number;
  rate_limit_scale: number | null;
  id_key: string;
  edit_window_minutes: number | null;
  upload_max_bytes: number | null;
  upload_max_pixels: number | null;
  upload_quota_bytes: number | null;
}

export interface UserRow {
  id: string;
  name: string;
  kind: string;
  avatar: string | null;
}

/** A user as inserted. */
export interface NewUserRow extends UserRow {
  site: string;
  name_key: string;
  skeleton: string;
  created: number;
}

export interface BanRow {
  id: string;
  kind: string;
  user_id: string | null;
  ip: string | null;
  until: number;
  reason: string | null;
  created: number;
}

export interface NewBanRow extends BanRow {
  site: string;
}

export interface MessageRow {
  id: string;
  room: string;
  seq: number;
  client_id: string;
  sender_id: string;
  sender_name: string;
  sender_kind: string;
  recipient: string | null;
  text: string;
  at: number;
  deleted: Flag;
  sender_avatar: string | null;
  /** The id of the message it answers. */
  reply_to: string | null;
  edited_at: number | null;
  rev: number | null;
  /** The message's `ImageInfo` as JSON. */
  image: string | null;
}

/** A message as inserted (`deleted` starts false, never edited or changed). */
export interface NewMessageRow extends Omit<MessageRow, 'deleted' | 'edited_at' | 'rev'> {
  site: string;
}

export function toSite(row: SiteRow): Site {
  const site: Site = {
    id: row.id,
    name: row.name,
    origins: JSON.parse(row.origins) as string[],
    allowNoOrigin: Boolean(row.allow_no_origin),
    secret: row.secret,
    idKey: row.id_key,
    roomPolicy: (ROOM_POLICIES as readonly string[]).includes(row.room_policy) ? (row.room_policy as RoomPolicy) : 'open',
    rooms: JSON.parse(row.rooms) as string[],
    readOnlyRooms: JSON.parse(row.read_only_rooms) as string[],
    created: row.created,
  };
  if (row.retention_days !== null) site.retentionDays = row.retention_days;
  if (row.rate_limit_scale !== null) site.rateLimitScale = row.rate_limit_scale;
  if (row.edit_window_minutes !== null) site.editWindowMinutes = row.edit_window_minutes;
  if (row.upload_max_bytes !== null) site.uploadMaxBytes = Number(row.upload_max_bytes);
  if (row.upload_max_pixels !== null) site.uploadMaxPixels = Number(row.upload_max_pixels);
  if (row.upload_quota_bytes !== null) site.uploadQuotaBytes = Number(row.upload_quota_bytes);
  return site;
}

export function siteRow(site: Site): SiteRow {
  return {
    id: site.id,
    name: site.name,
    origins: JSON.stringify(site.origins),
    allow_no_origin: site.allowNoOrigin,
    secret: site.secret,
    room_policy: site.roomPolicy,
    rooms: JSON.stringify(site.rooms),
    read_only_rooms: JSON.stringify(site.readOnlyRooms),
    retention_days: site.retentionDays ?? null,
    created: site.created,
    rate_limit_scale: site.rateLimitScale ?? null,
    id_key: site.idKey,
    edit_window_minutes: site.editWindowMinutes ?? null,
    upload_max_bytes: site.uploadMaxBytes ?? null,
    upload_max_pixels: site.uploadMaxPixels ?? null,
    upload_quota_bytes: site.uploadQuotaBytes ?? null,
  };
}

export function toUser(row: UserRow): UserInfo {
  const user: UserInfo = { id: row.id, name: row.name, kind: row.kind === 'user' ? 'user' : 'guest' };
  if (row.avatar !== null) user.avatar = row.avatar;
  return user;
}

export function newUserRow(site: string, user: NewUser, created: number): NewUserRow {
  return {
    site,
    id: user.id,
    name: user.name,
    name_key: user.nameKey,
    kind: user.kind,
    avatar: user.avatar ?? null,
    skeleton: user.skeleton,
    created,
  };
}

export function toBan(row: BanRow): BanInfo {
  const ban: BanInfo = { id: row.id, kind: row.kind === 'mute' ? 'mute' : 'ban', until: row.until, created: row.created };
  if (row.user_id !== null) ban.userId = row.user_id;
  if (row.ip !== null) ban.ip = row.ip;
  if (row.reason !== null) ban.reason = row.reason;
  return ban;
}

export function newBanRow(site: string, id: string, ban: BanDraft): NewBanRow {
  return {
    id,
    site,
    kind: ban.kind,
    user_id: ban.userId ?? null,
    ip: ban.ip ?? null,
    until: ban.until,
    reason: ban.reason ?? null,
    created: ban.created,
  };
}

/** The stored message alone: its reply, reactions and mentions are resolved by `message-reads.ts`. */
export function toMessage(row: MessageRow): ChatMessage {
  const from: UserInfo = { id: row.sender_id, name: row.sender_name, kind: row.sender_kind === 'user' ? 'user' : 'guest' };
  if (row.sender_avatar !== null) from.avatar = row.sender_avatar;
  const message: ChatMessage = { id: row.id, room: row.room, seq: row.seq, clientId: row.client_id, from, text: row.text, at: row.at };
  if (row.recipient !== null) message.to = row.recipient;
  if (row.deleted) message.deleted = true;
  if (row.edited_at !== null) message.editedAt = row.edited_at;
  if (row.rev !== null) message.rev = row.rev;
  if (row.image !== null) message.image = JSON.parse(row.image) as ImageInfo;
  return message;
}

export function newMessageRow(site: string, id: string, seq: number, draft: MessageDraft): NewMessageRow {
  return {
    id,
    site,
    room: draft.room,
    seq,
    client_id: draft.clientId,
    sender_id: draft.from.id,
    sender_name: draft.from.name,
    sender_kind: draft.from.kind,
    sender_avatar: draft.from.avatar ?? null,
    recipient: draft.to ?? null,
    text: draft.text,
    at: draft.at,
    reply_to: draft.replyTo ?? null,
    image: draft.image ? JSON.stringify(draft.image) : null,
  };
}

/** A message as inserted without an avatar or a reply. */
export type PlainMessageRow = Omit<NewMessageRow, 'sender_avatar' | 'reply_to' | 'image'>;

/** The row of a message without an avatar or a reply, or undefined when it has either (see `messageStatements.insertPlain`). */
export function plainMessageRow(site: string, id: string, seq: number, draft: MessageDraft): PlainMessageRow | undefined {
  if (draft.from.avatar !== undefined || draft.replyTo !== undefined || draft.image !== undefined) return undefined;
  return {
    id,
    site,
    room: draft.room,
    seq,
    client_id: draft.clientId,
    sender_id: draft.from.id,
    sender_name: draft.from.name,
    sender_kind: draft.from.kind,
    recipient: draft.to ?? null,
    text: draft.text,
    at: draft.at,
  };
}

/** A message just stored without a reply or mentions, as `toMessage` reads it back (without building its row). */
export function storedMessage(id: string, seq: number, draft: MessageDraft): ChatMessage {
  const { room, clientId, from, text, at, to } = draft;
  const message: ChatMessage = { id, room, seq, clientId, from: { ...from }, text, at };
  if (to !== undefined) message.to = to;
  if (draft.image !== undefined) message.image = { ...draft.image };
  return message;
}

/** The row just inserted, as read back. */
export function insertedRow(row: NewMessageRow): MessageRow {
  return { ...row, deleted: false, edited_at: null, rev: null };
}

/**
 * The rows of a history page from rows read oldest first with one row more than `limit`:
 * that extra row, at the far end of the direction asked for, only says there is more.
 */
export function pageRows(rows: MessageRow[], query: HistoryQuery): { rows: MessageRow[]; hasMore: boolean } {
  const hasMore = rows.length > query.limit;
  return { rows: !hasMore ? rows : query.afterSeq !== undefined ? rows.slice(0, -1) : rows.slice(1), hasMore };
}
