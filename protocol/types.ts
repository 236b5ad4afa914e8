/** Payloads carried by the events in `events.ts`. Times are milliseconds since the epoch, server clock. */
import type { ChatError } from './errors.js';

import type { UserId, UserInfo, UserRole } from './user-types.js';
import type { ImageInfo, Privacy, Reaction, ReplyQuote } from './rich-types.js';

export type { UserId, UserInfo, UserRole } from './user-types.js';

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
  /**
   * Plain text, never HTML. Light formatting (`**bold**`, `_italic_`,
   * `` `code` ``, fenced code blocks, links, line breaks) is the reader's to
   * render from the text; a mention is the token `<@userId>` (see `mentions`).
   * An image message's text is its caption and may be empty.
   */
  text: string;
  at: number;
  /** Private messages only: the recipient. */
  to?: UserId;
  /**
   * The message was deleted by its author, a moderator or an erase: `text` is
   * empty, it keeps its `seq`, and it carries no reply, reactions or
   * mentions any more.
   */
  deleted?: boolean;
  /** The message it answers (same room), resolved from the original when read. */
  replyTo?: ReplyQuote;
  /** Emoji reactions, in the order each emoji was first used; missing when none. */
  reactions?: Reaction[];
  /**
   * The emoji the reader reacted with: only in answers to the reader (join,
   * history, `message:changes`), never in `message:new` / `message:changed`
   * broadcasts, whose `reaction` field tells a client its own changes.
   */
  myReactions?: string[];
  /** When its author last edited it (missing when never). */
  editedAt?: number;
  /**
   * Users its `<@userId>` tokens name (existing users of the site, at most
   * `MENTIONS_MAX`), with their current names: a rename does not break a
   * mention. A token naming no one here stays literal text.
   */
  mentions?: UserInfo[];
  /** An image message: the stored picture (`text` is its caption). Dropped when the message is deleted. */
  image?: ImageInfo;
  /**
   * The room's change number of the message's last change (an edit, a
   * reaction, a deletion); missing when it never changed. Change numbers are
   * per room, grow with every change, and never use `seq`s.
   */
  rev?: number;
}

/** A message was deleted: show its tombstone instead. */
export interface MessageDeleted {
  room: string;
  id: string;
  seq: number;
  /** After an erase: the author the tombstone shows from now on (`ERASED_AUTHOR`); show it instead of the one held. */
  from?: UserInfo;
  /** The room's change number of this deletion (see `ChatMessage.rev`). */
  rev?: number;
}
/**
 * A message changed after it was sent: edited, reacted to, or (with
 * `message:deleted`) deleted. Sent to every member of the room (both users of
 * a private conversation) with the message as it is now.
 */
export interface MessageChanged {
  room: string;
  /** The whole message after the change (without `myReactions`: this goes to everyone). */
  message: ChatMessage;
  /** The change: the room's change number now, as `message.rev`. */
  rev: number;
  /** A reaction change: who, which emoji, added or removed (the receiver's own `myReactions` follow it). */
  reaction?: { user: UserId; emoji: string; on: boolean };
}

/**
 * Messages changed after `after`, each once as it is now (with the reader's
 * `myReactions`), in the order of their last change: edits, reactions and
 * tombstones (`deleted`). A client applies those it holds (and the quotes of
 * replies to them) and asks again from `lastRev` while `hasMore`.
 */
export interface ChangesPage {
  room: string;
  messages: ChatMessage[];
  /** The highest `rev` this page covers: ask from here next. */
  lastRev: number;
  hasMore: boolean;
}

export interface PresenceUpdate {
  room: string;
  /** Number of distinct users in the room. */
  count: number;
  /**
   * Every member, sorted by name (case-folded, then id), while the room has at
   * most the server's big-room size (`PRESENCE_LIST_MAX` unless configured
   * lower); empty above it, where `members.length < count`: page through
   * them with `presence:list` instead. Always in a join's answer; missing on
   * a live update that is a delta (`base` set).
   */
  members?: UserInfo[];
  /**
   * Deltas only (live updates of a listed room, protocol 4): the `version`
   * of the room's previous update, which `joined`, `left` and `updated`
   * change into this one; they name every change (final states: a joiner
   * is there with that profile, a leaver is not). A client whose list is at
   * a version from `base` up to below `version` applies them (remove the
   * leavers, put in or replace the joiners and the updated); one below `base`
   * missed an update and fetches the list anew (`presence:list`).
   */
  base?: number;
  /** Deltas only, when any: members listed before who are still there with a new profile (a rename), or who left and came back. */
  updated?: UserInfo[];
  /**
   * Grows with every change of the room's members. Updates from several
   * server nodes can arrive out of order: keep the highest version since the
   * last join (a join's answer starts afresh: a restarted server counts anew).
   */
  version: number;
  /**
   * Live updates only: who joined since the room's previous update. Updates
   * are coalesced per room, cluster-wide: at most one every
   * `PRESENCE_WINDOW_MS`, carrying every join and leave of its window.
   */
  joined?: PresenceChanges;
  /** Live updates only: who left since the room's previous update (after the grace period). */
  left?: PresenceChanges;
}

/** A room's presence with its list (a join's answer): never a delta. */
export interface ListedPresence extends PresenceUpdate {
  members: UserInfo[];
}

/**
 * The joins (or leaves) of one presence window. `users` names them one by one
 * only in a room at most the big-room size and when they are at most
 * `PRESENCE_NAMED_CHANGES_MAX`; otherwise it is empty and the widget shows a
 * summary ("12 people joined"), never one line per person.
 */
export interface PresenceChanges {
  count: number;
  users: UserInfo[];
}

/** `presence:list`: a page of a room's members, for rooms whose updates carry no list. */
export interface PresenceListRequest {
  room: string;
  /** Only members whose name starts with this, case-insensitively (after trimming; at most `NICKNAME_MAX_LENGTH` code points). */
  query?: string;
  /** The `next` of the previous page. */
  after?: string;
  /** At most `PRESENCE_PAGE_MAX`; `PRESENCE_PAGE_SIZE` when missing. */
  limit?: number;
}

export interface PresencePage {
  room: string;
  /** Members of the room (all of them, whatever the query). */
  count: number;
  /** Sorted by name (case-folded, then id). */
  members: UserInfo[];
  /** Pass as `after` for the page that follows; missing on the last page. */
  next?: string;
}

/**
 * A system line such as "Bob is now Alice". Not stored: only live members
 * see it. Sent only in rooms at most the big-room size. Joins and leaves
 * arrive in `presence:update` (`joined`, `left`) since protocol 3.
 */
export interface RoomNotice {
  room: string;
  kind: 'rename';
  user: UserInfo;
  /** The name before. */
  previousName: string;
  at: number;
}

/** One user started or stopped typing: rooms at most the big-room size. */
export interface TypingUpdate {
  room: string;
  user: UserInfo;
  typing: boolean;
}

/**
 * Who is typing in a big room, cluster-wide, replacing the previous summary:
 * at most one every `TYPING_SUMMARY_MS` per room, and one with `count: 0`
 * when the last typist stopped. `users` names at most
 * `TYPING_NAMED_MAX` of them (the widget shows "several people are typing"
 * beyond); the receiver may be among them.
 */
export interface TypingSummary {
  room: string;
  count: number;
  users: UserInfo[];
}

export interface SiteInfo {
  id: string;
  name: string;
}

/** Sent by the server once a socket is connected to a site namespace. */
export interface Session {
  user: UserInfo;
  /** `moderator` when the user's token says so (moderators may use `mod:*` events); the server always sends it. */
  role?: UserRole;
  site: SiteInfo;
  serverTime: number;
  /** The user's blocks and private-message setting (see `Privacy`). */
  privacy?: Privacy;
  /**
   * Identified users only: when the server ends this session (ms since the
   * epoch, server clock) unless `session:renew` gives it a newer token — the
   * token's `exp` plus the 60 s clock-skew allowance.
   */
  expiresAt?: number;
}

/** `session:renew`: a fresh identity token of the same user. */
export interface RenewRequest {
  token: string;
}

/** The session after `session:renew`: the token's name, avatar and role, and its new end. */
export interface Renewal {
  user: UserInfo;
  role: UserRole;
  expiresAt: number;
}

/** What a client passes as Socket.IO `auth` when it connects. */
export interface HandshakeAuth {
  /** A random secret the browser keeps (localStorage); the same key is the same guest. */
  guestKey?: string;
  /** The nickname the visitor would like; ignored when taken or invalid, and for identified users. */
  nickname?: string;
  /**
   * The UI's language as a BCP 47 tag (`zh-CN`): names the server makes up for
   * a guest are in it ("访客 482193" for `zh`, else "Guest 482193"). Ignored
   * when it is not a language tag.
   */
  lang?: string;
  /**
   * An identity token signed by the site's backend (HS256 JWT, see docs/SECURITY.md).
   * With it the visitor is the identified user `u_<sub>`; a bad, expired or
   * foreign token refuses the connection (`token_invalid`, `token_expired`, `token_wrong_site`).
   */
  token?: string;
  /**
   * The protocol version the client speaks (`PROTOCOL_VERSION` of the build it
   * was compiled with); missing counts as `UNVERSIONED_PROTOCOL` (1). Below
   * the server's minimum the connection is refused with `client_outdated`.
   */
  protocol?: number;
}

export interface JoinRequest {
  room: string;
  /**
   * Follow the room without being in it: live messages and deletions arrive
   * and the answer is a join's, but the user is not added to presence (no
   * join notice, not counted or listed) and nothing is stored. A later join
   * without `quiet` on the same socket enters presence as a join does; a
   * quiet join of a room the socket is already in changes nothing.
   * (A launcher counting unread messages before it is first opened.)
   */
  quiet?: boolean;
}

export interface JoinResult {
  room: string;
  presence: ListedPresence;
  /** The latest messages, oldest first (at most `HISTORY_PAGE_SIZE`). */
  messages: ChatMessage[];
  /** Older messages exist before `messages[0]`. */
  hasMore: boolean;
  /** Highest `seq` in the room (0 when empty). */
  lastSeq: number;
  /**
   * Highest change number of the room (0 when nothing ever changed): the
   * messages of this answer are as they are at that change; ask
   * `message:changes` from here after a reconnect.
   */
  lastRev: number;
  /**
   * The highest `seq` this user acknowledged in the room (`room:ack`) before
   * this join, from any tab or device; 0 when never. A client that lost its
   * memory (a page reload) replays from here.
   */
  cursor: number;
  /**
   * Messages of other users after `cursor` (deleted ones not counted): what
   * this user missed while no tab of theirs was here (0 without a cursor).
   * Exact up to `UNREAD_CAP`; counted among the next `UNREAD_CAP + 1`
   * messages after `cursor` only, so a join costs the same in any room.
   */
  unread: number;
  /**
   * More than `UNREAD_CAP` messages follow `cursor`, so counting stopped:
   * there are at least `unread` unread messages (shown as "99+").
   */
  unreadCapped: boolean;
}

/** "I have received everything in `room` up to `seq`" (sent batched; the cursor only moves forward). */
export interface CursorRequest {
  room: string;
  seq: number;
}

export interface CursorResult {
  room: string;
  /** The stored cursor after this ack (never beyond the room's last `seq`). */
  cursor: number;
}

/** The app-level heartbeat: answered at once, so the round trip measures the connection. */
export type PingRequest = Record<string, never>;

export interface PingResult {
  serverTime: number;
}

export interface LeaveRequest {
  room: string;
}

export interface SendRequest {
  room: string;
  text: string;
  /** A UUID chosen once per message before the first attempt. */
  clientId: string;
  /** The id of a message of the same room this one answers (`unknown_message` when there is none). */
  replyTo?: string;
  /** An image uploaded with a `media:ticket` (`UploadResult.uploadId`); `text` is then its caption and may be empty. */
  image?: string;
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

export interface ModDeleteRequest {
  room: string;
  messageId: string;
}

/** A moderator's privacy request about one user of the site: erase all their data. */
export interface ModUserRequest {
  userId: UserId;
}

/** The admin API's export of a user: their profile (null once erased) and every message they sent, private ones included. */
export interface UserExport {
  user: UserInfo | null;
  messages: ChatMessage[];
}

export interface EraseResult {
  /** Room messages that became tombstones plus private messages removed (sent by or to the user). */
  messages: number;
  /** The profile existed and was forgotten. */
  profile: boolean;
}

export type BanKind = 'ban' | 'mute';

export interface ModBanRequest {
  userId: UserId;
  /** `ban` disconnects every socket of the user and refuses new ones; `mute` refuses their sends. */
  kind: BanKind;
  /** 1 ms – `MOD_BAN_MAX_DURATION_MS`. */
  durationMs: number;
  reason?: string;
}

/** A ban or mute in force on a site, on a user, an IP, or both. */
export interface BanInfo {
  id: string;
  kind: BanKind;
  userId?: UserId;
  /** Admin API only: never sent to sockets. */
  ip?: string;
  /** When it ends, ms since the epoch. */
  until: number;
  reason?: string;
  created: number;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ChatError };
export type AckCallback<T> = (response: Ack<T>) => void;
