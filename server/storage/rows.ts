/**
 * The rows both SQL drivers write and read back, and how they map to and from
 * protocol objects. A row's keys are its column names, and the statements'
 * placeholders are named after them, so a row is also the parameters that
 * write it. Both drivers hand back the same shapes: lists as JSON text (the
 * PostgreSQL driver reads JSONB as text), flags as 0/1 (SQLite) or booleans
 * (PostgreSQL; the SQLite driver binds booleans as 0/1).
 */
import { ROOM_POLICIES } from './store.js';
import type { BanDraft, HistoryQuery, NewUser, RoomPolicy, Site } from './store.js';
import type { BanInfo, ChatMessage, HistoryPage, UserInfo } from '../../protocol/index.js';

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
}

/** A message as inserted (`deleted` starts false). */
export interface NewMessageRow extends Omit<MessageRow, 'deleted'> {
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

export function toMessage(row: MessageRow): ChatMessage {
  const message: ChatMessage = {
    id: row.id,
    room: row.room,
    seq: row.seq,
    clientId: row.client_id,
    from: { id: row.sender_id, name: row.sender_name, kind: row.sender_kind === 'user' ? 'user' : 'guest' },
    text: row.text,
    at: row.at,
  };
  if (row.recipient !== null) message.to = row.recipient;
  if (row.deleted) message.deleted = true;
  return message;
}

export function newMessageRow(site: string, message: ChatMessage): NewMessageRow {
  return {
    id: message.id,
    site,
    room: message.room,
    seq: message.seq,
    client_id: message.clientId,
    sender_id: message.from.id,
    sender_name: message.from.name,
    sender_kind: message.from.kind,
    recipient: message.to ?? null,
    text: message.text,
    at: message.at,
  };
}

/**
 * A history page from rows read oldest first with one row more than `limit`:
 * that extra row, at the far end of the direction asked for, only says there is more.
 */
export function toPage(rows: MessageRow[], query: HistoryQuery): HistoryPage {
  const hasMore = rows.length > query.limit;
  const page = !hasMore ? rows : query.afterSeq !== undefined ? rows.slice(0, -1) : rows.slice(1);
  return { messages: page.map(toMessage), hasMore };
}
