/** The events `<chat-room>` dispatches (all bubble and are composed). */
import type { ChatMessage, UserInfo } from '../protocol/index.js';
import type { ConnectionState } from './client/connection.js';
import type { AnyErrorCode, ClientError } from './client/errors.js';

export interface ChatRoomMessageDetail {
  message: ChatMessage;
  /** Sent by this user (from this or another tab). */
  own: boolean;
  /** Missed while the connection was down and filled in after it came back, rather than live. */
  replayed: boolean;
}

export interface ChatRoomConnectionDetail {
  state: ConnectionState;
  /** Why the state is `error` (or why the last attempt failed while `connecting`). */
  error: ClientError | null;
}

export interface ChatRoomPresenceDetail {
  room: string;
  count: number;
  members: UserInfo[];
}

export interface ChatRoomErrorDetail {
  code: AnyErrorCode;
  message: string;
}

export interface ChatRoomUserDetail {
  user: UserInfo;
}

export interface ChatRoomUnreadDetail {
  room: string;
  /** Unread messages of others in the room (0 once the end of the list was seen). */
  count: number;
  /** `count` is a lower bound: more than `UNREAD_CAP` (99) were missed; show "99+". */
  capped: boolean;
}

export interface ChatRoomDirectMessageDetail {
  message: ChatMessage;
}

export interface ChatRoomMentionDetail {
  /** A message of someone else whose `mentions` name you. */
  message: ChatMessage;
  /** Missed while the connection was down and filled in after it came back, rather than live. */
  replayed: boolean;
}

export interface ChatRoomTokenExpiringDetail {
  /** When the server ends the session (ms since the epoch, this page's clock) unless `identify()` renews it. */
  expiresAt: number;
}

export interface ChatRoomOpenDetail {
  /** Opened because it was open when the visitor left the last page of this site (not by a click or by code). */
  restored: boolean;
}

export interface ChatRoomEventMap {
  'chat-room-open': CustomEvent<ChatRoomOpenDetail>;
  'chat-room-close': CustomEvent<ChatRoomOpenDetail>;
  'chat-room-message': CustomEvent<ChatRoomMessageDetail>;
  'chat-room-connection': CustomEvent<ChatRoomConnectionDetail>;
  'chat-room-presence': CustomEvent<ChatRoomPresenceDetail>;
  'chat-room-error': CustomEvent<ChatRoomErrorDetail>;
  'chat-room-user': CustomEvent<ChatRoomUserDetail>;
  'chat-room-dm': CustomEvent<ChatRoomDirectMessageDetail>;
  'chat-room-mention': CustomEvent<ChatRoomMentionDetail>;
  'chat-room-unread': CustomEvent<ChatRoomUnreadDetail>;
  'chat-room-token-expiring': CustomEvent<ChatRoomTokenExpiringDetail>;
  /** Cancelable: the server refused this page's widget as outdated, and the page is about to reload (see reload-when-quiet.ts). */
  'chat-room-outdated': CustomEvent<null>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends ChatRoomEventMap {}
}
