/** Every error the server answers with, as `{ ok: false, error: { code, message } }`. */
export const ErrorCode = {
  /** The namespace names a site the server does not know (seen by clients as a `connect_error`, or with `session:ended` when the site is removed). */
  UnknownSite: 'unknown_site',
  /** The page's Origin is not on the site's allowed list. */
  OriginNotAllowed: 'origin_not_allowed',
  /** The `site` query parameter of the connection names another site than the namespace. */
  SiteMismatch: 'site_mismatch',
  /**
   * The client's protocol version (`auth.protocol`, 1 when missing) is below
   * the server's minimum (`--min-client-protocol`): the page is older than the
   * server supports and must reload to get the current widget.
   */
  ClientOutdated: 'client_outdated',
  /** The identity token is malformed, not HS256, or its signature does not match. */
  TokenInvalid: 'token_invalid',
  /** The identity token's `exp` has passed (at connect, `session:renew`, or with `session:ended` when it passes during a session). */
  TokenExpired: 'token_expired',
  /** The identity token was issued for another site (`aud`/`site` claim). */
  TokenWrongSite: 'token_wrong_site',
  /** With `session:ended`: the site's secret was rotated, so the token this session was signed in with no longer holds; identify again with a new token. */
  CredentialsRevoked: 'credentials_revoked',
  /** The user or IP is banned from the site; `retryAfterMs` says for how long (seen at connect, or with `session:ended`). */
  Banned: 'banned',
  /** The user or IP may read but not post; `retryAfterMs` says for how long. */
  Muted: 'muted',
  /** The caller may not do this (a moderator action by a non-moderator, a rename of an identified user). */
  Forbidden: 'forbidden',
  /** The payload does not have the documented shape or types. */
  InvalidPayload: 'invalid_payload',
  /** The room name does not match `ROOM_NAME_PATTERN`. */
  InvalidRoom: 'invalid_room',
  /** The socket asked for something in a room it has not joined. */
  NotInRoom: 'not_in_room',
  /** The site's room policy (allow-list, token required, the token's `rooms` claim) does not let this user into the room. */
  RoomNotAllowed: 'room_not_allowed',
  /** The room is read-only: only moderators post in it. */
  ReadOnly: 'read_only',
  /** No message with that id in that room. */
  UnknownMessage: 'unknown_message',
  /** The message was deleted: it can no longer be edited, reacted to or answered. */
  MessageDeleted: 'message_deleted',
  /** The edit window of the site (`editWindowMinutes`, 15 by default) has passed since the message was sent. */
  EditWindowClosed: 'edit_window_closed',
  /** The reaction is not one RGI emoji. */
  InvalidEmoji: 'invalid_emoji',
  /** The message already has `REACTION_EMOJI_MAX` distinct emoji. */
  TooManyReactions: 'too_many_reactions',
  /** The text names more than `MENTIONS_MAX` distinct users. */
  TooManyMentions: 'too_many_mentions',
  /** The user already blocks `BLOCKS_MAX` users. */
  TooManyBlocks: 'too_many_blocks',
  /** The recipient does not take private messages from the sender (a block, or guests refused). */
  DmRefused: 'dm_refused',
  /** Upload: the bytes are not a whole PNG, JPEG, WebP or GIF image (whatever its name or declared type says). */
  ImageInvalid: 'image_invalid',
  /** Upload: more bytes than the site's limit (`maxBytes` of the ticket). */
  ImageTooLarge: 'image_too_large',
  /** Upload: more pixels (width × height, every frame) than the site's limit (`maxPixels` of the ticket). */
  ImageTooManyPixels: 'image_too_many_pixels',
  /** Upload: the site's stored images would exceed its quota. */
  UploadQuota: 'upload_quota',
  /** Upload: the ticket is missing, malformed, expired or for another site. */
  TicketInvalid: 'ticket_invalid',
  /** `message:send { image }` names no upload of this user (or one already sent). */
  UnknownUpload: 'unknown_upload',
  /** The socket is already in `MAX_ROOMS_PER_SOCKET` rooms. */
  TooManyRooms: 'too_many_rooms',
  /** The message text is empty after trimming. */
  MessageEmpty: 'message_empty',
  /** The message text is longer than `MESSAGE_MAX_LENGTH`. */
  MessageTooLong: 'message_too_long',
  /** The nickname is too short, too long or contains characters that are not allowed. */
  InvalidNickname: 'invalid_nickname',
  /** Another user of the site already holds this nickname. */
  NicknameTaken: 'nickname_taken',
  /** The user a private message is addressed to does not exist on this site. */
  UnknownUser: 'unknown_user',
  /** A private message addressed to oneself. */
  SelfMessage: 'self_message',
  /** Too many requests; `retryAfterMs` says when to try again. */
  RateLimited: 'rate_limited',
  /** The server failed; nothing was changed. */
  Internal: 'internal_error',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes the widget produces itself, never sent by the server. */
export const ClientErrorCode = {
  /** No connection to the server right now. */
  NotConnected: 'not_connected',
  /** The server did not answer in time. */
  Timeout: 'timeout',
  /** The visitor (or the page) cancelled the request: an image upload aborted before its message was sent. */
  Aborted: 'aborted',
} as const;

export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export interface ChatError {
  code: ErrorCode;
  message: string;
  /** With `rate_limited`, `muted` and `banned`: how long to wait before trying again. */
  retryAfterMs?: number;
}
