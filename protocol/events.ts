/**
 * The wire contract: every Socket.IO event between widget and server, in one
 * place, compiled into both sides. Names are `domain:verb`. Every event that
 * changes state takes an ack callback answering `Ack<T>`.
 */
import type { ChatError } from './errors.js';
import { DIRECT_ROOM_PREFIX } from './limits.js';
import type {
  AckCallback,
  BanInfo,
  ChangesPage,
  ChatMessage,
  CursorRequest,
  CursorResult,
  DirectHistoryRequest,
  DirectSendRequest,
  EraseResult,
  HistoryPage,
  HistoryRequest,
  JoinRequest,
  JoinResult,
  LeaveRequest,
  MessageChanged,
  MessageDeleted,
  ModBanRequest,
  ModDeleteRequest,
  ModUserRequest,
  PingRequest,
  PingResult,
  PresenceListRequest,
  PresencePage,
  PresenceUpdate,
  RenameRequest,
  RenewRequest,
  Renewal,
  RoomNotice,
  SendRequest,
  SendResult,
  Session,
  TypingRequest,
  TypingSummary,
  TypingUpdate,
  UserInfo,
} from './types.js';
import type {
  ChangesRequest,
  DeleteRequest,
  EditRequest,
  Privacy,
  PrivacyRequest,
  ReactRequest,
  TicketRequest,
  UploadTicket,
} from './rich-types.js';

export interface ClientToServerEvents {
  'room:join': (req: JoinRequest, ack: AckCallback<JoinResult>) => void;
  'room:leave': (req: LeaveRequest, ack: AckCallback<{ room: string }>) => void;
  'message:send': (req: SendRequest, ack: AckCallback<SendResult>) => void;
  'message:history': (req: HistoryRequest, ack: AckCallback<HistoryPage>) => void;
  /**
   * New text for one's own message (`forbidden` for another's) within the
   * site's edit window (`edit_window_closed` after it; `unknown_message`,
   * `message_deleted`); mentions are read again from the new text. Every member
   * receives `message:changed`.
   */
  'message:edit': (req: EditRequest, ack: AckCallback<MessageChanged>) => void;
  /**
   * Deletes one's own message at any time (moderators: anyone's); a tombstone
   * as with `mod:delete`, and every member receives `message:deleted`.
   */
  'message:delete': (req: DeleteRequest, ack: AckCallback<MessageDeleted>) => void;
  /**
   * Adds or removes one's own reaction (`invalid_emoji` unless one RGI emoji;
   * `too_many_reactions` beyond `REACTION_EMOJI_MAX` distinct emoji on the
   * message). Adding twice or removing what is not there changes nothing and
   * answers the message as it is. Every member receives `message:changed`.
   */
  'message:react': (req: ReactRequest, ack: AckCallback<MessageChanged>) => void;
  /** Messages of a joined room changed (edited, reacted to, deleted) after a change number: replay after a reconnect. */
  'message:changes': (req: ChangesRequest, ack: AckCallback<ChangesPage>) => void;
  /** Delivery ack: moves this user's cursor in a joined room forward to `seq`. */
  'room:ack': (req: CursorRequest, ack: AckCallback<CursorResult>) => void;
  /** App-level heartbeat (`{}`); the widget measures round-trip time with it and reconnects when it goes unanswered. */
  'session:ping': (req: PingRequest, ack: AckCallback<PingResult>) => void;
  /**
   * Identified users: swaps the session's token for a newer one of the same
   * user (same `sub`) without reconnecting; name, avatar, role, `rooms` and the
   * session's end follow the new token at once. `forbidden` for a guest or
   * another user's token, `token_*` for a token the handshake would refuse.
   */
  'session:renew': (req: RenewRequest, ack: AckCallback<Renewal>) => void;
  /**
   * A page of the room's members, optionally those whose name starts with
   * `query`; the socket must be in the room (`not_in_room`). Rate-limited.
   */
  'presence:list': (req: PresenceListRequest, ack: AckCallback<PresencePage>) => void;
  /** Volatile and throttled by the client; no ack. */
  'typing:set': (req: TypingRequest) => void;
  'user:rename': (req: RenameRequest, ack: AckCallback<{ user: UserInfo }>) => void;
  /**
   * Blocks or unblocks a user (`unknown_user`, `self_message` for oneself,
   * `too_many_blocks` beyond `BLOCKS_MAX`), or sets whether guests may send
   * one private messages. Every tab of the user receives `user:privacy`.
   */
  'user:privacy': (req: PrivacyRequest, ack: AckCallback<Privacy>) => void;
  /**
   * Permission to upload one image for a room the socket is in (`not_in_room`,
   * `read_only`, `muted`, `rate_limited`, `upload_quota`). See `UploadTicket`.
   */
  'media:ticket': (req: TicketRequest, ack: AckCallback<UploadTicket>) => void;
  'dm:send': (req: DirectSendRequest, ack: AckCallback<SendResult>) => void;
  'dm:history': (req: DirectHistoryRequest, ack: AckCallback<HistoryPage>) => void;
  /** Moderators only (else `forbidden`): tombstones a message; every member receives `message:deleted`. */
  'mod:delete': (req: ModDeleteRequest, ack: AckCallback<MessageDeleted>) => void;
  /** Moderators only (else `forbidden`): bans or mutes a user of the site for a time, at once on all their sockets. */
  'mod:ban': (req: ModBanRequest, ack: AckCallback<{ ban: BanInfo }>) => void;
  /**
   * Moderators only (else `forbidden`): erases a user (a privacy request): their room messages become
   * tombstones by `ERASED_AUTHOR`, their private conversations are removed on both sides, their profile,
   * cursors and bans are forgotten, their sessions end. Reading a user's data is the site owner's: the
   * admin API's export, never a socket event.
   */
  'mod:erase': (req: ModUserRequest, ack: AckCallback<{ erased: EraseResult }>) => void;
}

export interface ServerToClientEvents {
  /** Once per connection, before anything else. */
  'session:ready': (session: Session) => void;
  /** The user's own name or profile changed (from this or another tab). */
  'user:updated': (user: UserInfo) => void;
  'message:new': (message: ChatMessage) => void;
  /** Coalesced per room, cluster-wide: at most one every `PRESENCE_WINDOW_MS`. */
  'presence:update': (presence: PresenceUpdate) => void;
  'room:notice': (notice: RoomNotice) => void;
  /** Rooms at most the big-room size: one user's typing, relayed. */
  'typing:update': (typing: TypingUpdate) => void;
  /** Big rooms: who is typing, summarised (see `TypingSummary`). */
  'typing:summary': (summary: TypingSummary) => void;
  /** A private message to or from this user (every tab of both users receives it). */
  'dm:new': (message: ChatMessage) => void;
  /** A message of a joined room (or a private conversation) was deleted; history now serves its tombstone. */
  'message:deleted': (deleted: MessageDeleted) => void;
  /** A message of a joined room was edited or reacted to: replace it (and the quotes of replies to it). */
  'message:changed': (changed: MessageChanged) => void;
  /** The user's blocks or private-message setting changed (from this or another tab). */
  'user:privacy': (privacy: Privacy) => void;
  /**
   * The server ends this session; a disconnect follows. `banned` (reconnecting
   * is refused while it lasts), `token_expired` (the token's `exp` passed
   * without `session:renew`), `credentials_revoked` (the site's secret was
   * rotated), `unknown_site` (the site was removed).
   */
  'session:ended': (reason: ChatError) => void;
}

/** The Socket.IO namespace of a site. */
export function siteNamespace(siteId: string): string {
  return `/s/${siteId}`;
}

/** The stored "room" of a private conversation: `dm:<a>:<b>`, ids sorted so both sides name it alike. */
export function directConversation(a: string, b: string): string {
  const [first, second] = a < b ? [a, b] : [b, a];
  return `${DIRECT_ROOM_PREFIX}${first}:${second}`;
}

/** The namespace pattern, for servers and tools that parse it. */
export const SITE_NAMESPACE_PATTERN = /^\/s\/([a-z0-9][a-z0-9-]{0,31})$/;
