/**
 * ESM entry for bundler users: exports the element class without registering
 * it, so it can be defined under any tag name:
 *
 *   import { ChatRoom } from 'chat-room';
 *   customElements.define('my-chat', ChatRoom);
 *
 * The chat itself is a dynamic import: bundlers split it into its own chunk.
 */
export { ChatRoom } from './chat-room.js';
export { setDefaultServer, defaultServer } from './defaults.js';
export type * from './events.js';
export type { MessageKey, UiLanguage } from './i18n.js';
export { roomFromPath } from './room-name.js';
export { ChatRoomError } from './client/errors.js';
export type { AnyErrorCode, ClientAck, ClientError } from './client/errors.js';
export type { ConnectionState } from './client/connection.js';
export type { PendingSend, SendTarget } from './client/outbox.js';
export type { RichConversation } from './client/rich-conversation.js';
export type {
  ChatMessage,
  EraseResult,
  MessageChanged,
  MessageDeleted,
  PresenceUpdate,
  Privacy,
  Reaction,
  ReplyQuote,
  RoomNotice,
  Session,
  SiteInfo,
  UserInfo,
} from '../protocol/index.js';
