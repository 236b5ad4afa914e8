/**
 * Payloads of rich conversation (protocol 4): replies, reactions, edits,
 * mentions, changes that replay, and a visitor's blocks. Kept apart
 * from types.ts, which imports the parts a `ChatMessage` carries from here.
 */
import type { UserId, UserInfo } from './user-types.js';

/**
 * The message a reply answers, resolved from the original whenever the reply
 * is read or sent (never a stored copy): an edit, a deletion or an erase of
 * the original shows in its quotes.
 */
export interface ReplyQuote {
  id: string;
  seq: number;
  from: UserInfo;
  /**
   * The original's first line, at most `REPLY_EXCERPT_MAX` code points (its
   * mentions as they are in its text, `<@id>`); empty once it is deleted.
   */
  excerpt: string;
  /** The original was deleted (by its author, a moderator or an erase). */
  deleted?: boolean;
  /** The original carries an image (its excerpt is its caption, maybe empty). */
  image?: boolean;
}

/** One emoji on a message, with who reacted. */
export interface Reaction {
  /** One emoji (an RGI emoji sequence: `👍`, `❤️`, `👍🏽`, `🇫🇷`). */
  emoji: string;
  /** How many users reacted with it (one reaction per user per emoji). */
  count: number;
  /** The first `REACTION_NAMES_MAX` users who reacted, earliest first, with their current names; `count` may be more. */
  users: UserInfo[];
}

/** `message:edit`: new text for one's own message, within the site's edit window. */
export interface EditRequest {
  room: string;
  messageId: string;
  /** As `SendRequest.text`. */
  text: string;
}

/** `message:delete`: one's own message (moderators: anyone's, as `mod:delete`). */
export interface DeleteRequest {
  room: string;
  messageId: string;
}

/** `message:react`: add (`on: true`) or remove one emoji reaction of one's own. */
export interface ReactRequest {
  room: string;
  messageId: string;
  emoji: string;
  on: boolean;
}

/** `message:changes`: the messages of a joined room changed after change number `after`. */
export interface ChangesRequest {
  room: string;
  /** The highest `rev` the client holds (a join's `lastRev`, a `message:changed`'s `rev`, or a page's `lastRev`). */
  after: number;
  /** 1–`CHANGES_MAX_LIMIT`, default `CHANGES_PAGE_SIZE`. */
  limit?: number;
}

/** `user:privacy`: block or unblock a user, or refuse private messages from guests. */
export interface PrivacyRequest {
  block?: UserId;
  unblock?: UserId;
  refuseGuestDms?: boolean;
}

/**
 * A visitor's blocks, kept by the server for the user (guests keep theirs with
 * their guest key). The widget hides blocked users' messages and reactions;
 * the server does not deliver their private messages (`dm:send` answers them
 * `dm_refused`, as it does guests when `refuseGuestDms`).
 */
export interface Privacy {
  /** At most `BLOCKS_MAX`, with their current names. */
  blocked: UserInfo[];
  refuseGuestDms: boolean;
}

/** A stored image of a message: the re-encoded picture and its thumbnail, both served by the chat server. */
export interface ImageInfo {
  /** Content address of the stored image (hex SHA-256 of its re-encoded bytes). */
  id: string;
  /** The re-encoded image (no metadata): a path on the chat server (`/media/…`), resolved against the server's URL. */
  url: string;
  type: 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';
  width: number;
  height: number;
  /** Bytes of the re-encoded image. */
  bytes: number;
  /** The thumbnail (at most `THUMBNAIL_MAX_SIDE` px on its longer side), a path like `url`. */
  thumbUrl: string;
  thumbWidth: number;
  thumbHeight: number;
}

/** `media:ticket`: permission to upload one image over HTTP for a room the socket is in. */
export interface TicketRequest {
  room: string;
}

/**
 * POST the image's bytes as the request body to `url` with
 * `Authorization: Bearer <token>` (CORS-allowed for the site's origins) before
 * `expiresAt`; the answer is `UploadResult` (or `{ error }` with an upload
 * error code and an HTTP status). Then send the message with `image: uploadId`.
 */
export interface UploadTicket {
  /** Where to POST: a path on the chat server, resolved against the server's URL. */
  url: string;
  token: string;
  expiresAt: number;
  /** The site's limits: bytes of the uploaded file and pixels (width × height) of the picture. */
  maxBytes: number;
  maxPixels: number;
}

/** The HTTP answer to an upload: the stored image, to send with `message:send { image: uploadId }`. */
export interface UploadResult {
  uploadId: string;
  image: ImageInfo;
}
