/**
 * The rows both SQL drivers read back, and how they become protocol objects.
 * Each driver decodes its own column types (SQLite: JSON text and 0/1;
 * PostgreSQL: JSONB and booleans) before these run.
 */
import { ROOM_POLICIES } from './store.js';
import type { HistoryQuery, RoomPolicy, Site } from './store.js';
import type { BanInfo, ChatMessage, HistoryPage, UserInfo } from '../../protocol/index.js';

export const MESSAGE_COLUMNS = 'id, room, seq, client_id, sender_id, sender_name, sender_kind, recipient, text, at, deleted';
export const SITE_COLUMNS =
  'id, name, origins, allow_no_origin, secret, room_policy, rooms, read_only_rooms, retention_days, created, rate_limit_scale, id_key';

/** A site row with its lists and flag decoded. */
export interface SiteFields {
  id: string;
  name: string;
  origins: string[];
  allow_no_origin: boolean;
  secret: string;
  room_policy: string;
  rooms: string[];
  read_only_rooms: string[];
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

export interface BanRow {
  id: string;
  kind: string;
  user_id: string | null;
  ip: string | null;
  until: number;
  reason: string | null;
  created: number;
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
  /** 0/1 in SQLite, a boolean in PostgreSQL. */
  deleted: number | boolean;
}

export function toSite(row: SiteFields): Site {
  const site: Site = {
    id: row.id,
    name: row.name,
    origins: row.origins,
    allowNoOrigin: row.allow_no_origin,
    secret: row.secret,
    idKey: row.id_key,
    roomPolicy: (ROOM_POLICIES as readonly string[]).includes(row.room_policy) ? (row.room_policy as RoomPolicy) : 'open',
    rooms: row.rooms,
    readOnlyRooms: row.read_only_rooms,
    created: row.created,
  };
  if (row.retention_days !== null) site.retentionDays = row.retention_days;
  if (row.rate_limit_scale !== null) site.rateLimitScale = row.rate_limit_scale;
  return site;
}

export function toUser(row: UserRow): UserInfo {
  const user: UserInfo = { id: row.id, name: row.name, kind: row.kind === 'user' ? 'user' : 'guest' };
  if (row.avatar !== null) user.avatar = row.avatar;
  return user;
}

export function toBan(row: BanRow): BanInfo {
  const ban: BanInfo = { id: row.id, kind: row.kind === 'mute' ? 'mute' : 'ban', until: row.until, created: row.created };
  if (row.user_id !== null) ban.userId = row.user_id;
  if (row.ip !== null) ban.ip = row.ip;
  if (row.reason !== null) ban.reason = row.reason;
  return ban;
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

/**
 * A history page from rows read oldest first with one row more than `limit`:
 * that extra row, at the far end of the direction asked for, only says there is more.
 */
export function toPage(rows: MessageRow[], query: HistoryQuery): HistoryPage {
  const hasMore = rows.length > query.limit;
  const page = !hasMore ? rows : query.afterSeq !== undefined ? rows.slice(0, -1) : rows.slice(1);
  return { messages: page.map(toMessage), hasMore };
}
