/** Payloads carried by the events in `events.ts`. Times are milliseconds since the epoch, server clock. */
import type { ChatError } from './errors.js';

/** A public user id, stable per site: `g_…` for guests. Never the secret guest key. */
export type UserId = string;

export interface UserInfo {
  id: UserId;
  name: string;
  /** `guest` for anonymous visitors. */
  kind: 'guest' | 'user';
}

/**
 * One stored message. Room messages carry the room name; private messages
 * carry the conversation id (`dm:<idA>:<idB>`, ids sorted) as `room` and the
 * recipient as `to`.
 */
export interface ChatMessage {
  /** Server id, unique per site. */
  id: string;
  room: string;
  /** Position in the room: 1, 2, 3, … with no gaps. */
  seq: number;
  /** The id the sender chose before the first attempt; a retry with the same id returns this message. */
  clientId: string;
  from: UserInfo;
  /** Plain text, never HTML. */
  text: string;
  at: number;
  /** Private messages only: the recipient. */
  to?: UserId;
}

export interface PresenceUpdate {
  room: string;
  /** Number of distinct users in the room. */
  count: number;
  /** Up to `PRESENCE_LIST_MAX` members, sorted by name. */
  members: UserInfo[];
}

export type NoticeKind = 'join' | 'leave' | 'rename';

/** A system line such as "Alice joined". Not stored: only live members see it. */
export interface RoomNotice {
  room: string;
  kind: NoticeKind;
  user: UserInfo;
  /** With `rename`: the name before. */
  previousName?: string;
  at: number;
}

export interface TypingUpdate {
  room: string;
  user: UserInfo;
  typing: boolean;
}

export interface SiteInfo {
  id: string;
  name: string;
}

/** Sent by the server once a socket is connected to a site namespace. */
export interface Session {
  user: UserInfo;
  site: SiteInfo;
  serverTime: number;
}

/** What a client passes as Socket.IO `auth` when it connects. */
export interface HandshakeAuth {
  /** A random secret the browser keeps (localStorage); the same key is the same guest. */
  guestKey?: string;
  /** The nickname the visitor would like; ignored when taken or invalid. */
  nickname?: string;
}

export interface JoinRequest {
  room: string;
}

export interface JoinResult {
  room: string;
  presence: PresenceUpdate;
  /** The latest messages, oldest first (at most `HISTORY_PAGE_SIZE`). */
  messages: ChatMessage[];
  /** Older messages exist before `messages[0]`. */
  hasMore: boolean;
  /** Highest `seq` in the room (0 when empty). */
  lastSeq: number;
}

export interface LeaveRequest {
  room: string;
}

export interface SendRequest {
  room: string;
  text: string;
  /** A UUID chosen once per message before the first attempt. */
  clientId: string;
}

export interface SendResult {
  message: ChatMessage;
  /** True when this `clientId` was already stored and this is the original message. */
  duplicate: boolean;
}

/**
 * A page of history, oldest first. With `beforeSeq`, the newest messages below
 * it; with `afterSeq`, the oldest messages above it; with neither, the newest.
 */
export interface HistoryRequest {
  room: string;
  beforeSeq?: number;
  afterSeq?: number;
  /** 1–`HISTORY_MAX_LIMIT`, default `HISTORY_PAGE_SIZE`. */
  limit?: number;
}

export interface HistoryPage {
  messages: ChatMessage[];
  /** More messages exist beyond this page in the direction asked for. */
  hasMore: boolean;
}

export interface TypingRequest {
  room: string;
  typing: boolean;
}

export interface RenameRequest {
  name: string;
}

export interface DirectSendRequest {
  to: UserId;
  text: string;
  clientId: string;
}

export interface DirectHistoryRequest {
  with: UserId;
  beforeSeq?: number;
  afterSeq?: number;
  limit?: number;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ChatError };
export type AckCallback<T> = (response: Ack<T>) => void;
