/**
 * The storage seam. Handlers and services only see this interface, so the
 * SQLite default and a PostgreSQL driver are interchangeable. Every method is
 * async even where the driver is synchronous.
 */
import type { BanInfo, ChangesPage, ChatMessage, HistoryPage, ImageInfo, MessageDeleted, Privacy, UserId, UserInfo } from '../../protocol/index.js';

/** Who may join which rooms of a site. */
export type RoomPolicy = 'open' | 'allow-list' | 'token';
export const ROOM_POLICIES: readonly RoomPolicy[] = ['open', 'allow-list', 'token'];

/** A tenant: one embedding website with its own namespace, users and rooms. */
export interface Site {
  id: string;
  name: string;
  /** Origins allowed to connect: exact (`https://a.example`) or with a `*` port (`http://localhost:*`). */
  origins: string[];
  /** Connections without an Origin header (native apps, WebViews, bots) are refused unless this is set. */
  allowNoOrigin: boolean;
  /** Server-side secret: signs identity tokens and guards the site's admin API. Rotated at will. */
  secret: string;
  /** Server-side key the public user ids are derived from; never rotated, never shown (ids outlive the secret). */
  idKey: string;
  /** `open`: any valid room name; `allow-list`: only `rooms`; `token`: identified users only (and their token's `rooms`). */
  roomPolicy: RoomPolicy;
  /** The rooms of the `allow-list` policy. */
  rooms: string[];
  /** Rooms where only moderators post. */
  readOnlyRooms: string[];
  /** Messages older than this many days are not kept; unset keeps them. */
  retentionDays?: number;
  /** The server's rate limits times this, for this site's visitors (raise it when many share one address). Unset: 1. */
  rateLimitScale?: number;
  /** How long after sending an author may edit a message, in minutes (0: never). Unset: `EDIT_WINDOW_MS`. */
  editWindowMinutes?: number;
  /** Bytes of one uploaded image file. Unset: `IMAGE_MAX_BYTES`. */
  uploadMaxBytes?: number;
  /** Pixels (width × height, every frame) of one uploaded image. Unset: `IMAGE_MAX_PIXELS`. */
  uploadMaxPixels?: number;
  /** Bytes of every upload of the site together (re-encoded images and thumbnails). Unset: `UPLOAD_QUOTA_BYTES` (1 GiB). */
  uploadQuotaBytes?: number;
  created: number;
}

export interface NewUser extends UserInfo {
  /** The normalised name the per-site uniqueness is checked on. */
  nameKey: string;
  /** The name with decorations and look-alike characters folded (see `nicknameSkeleton`): guests may not imitate identified users. */
  skeleton: string;
}

/** Outcome of inserting a user: stored, or which unique key collided. */
export type CreateUserResult = 'created' | 'name_taken' | 'id_taken';

/** A message before the store gives it an id and a seq. */
export interface MessageDraft {
  room: string;
  clientId: string;
  from: UserInfo;
  text: string;
  at: number;
  to?: UserId;
  /** The message it answers: the service checked it is a message of the room that is not deleted. */
  replyTo?: string;
  /** Users the text mentions: the service kept the `<@id>` tokens that name users of the site (at most `MENTIONS_MAX`). */
  mentions?: UserId[];
  /** The image of an upload the sender claimed for this message. */
  image?: ImageInfo;
}

/** An uploaded image: stored at once, used by at most one message. */
export interface UploadRecord {
  id: string;
  /** Who uploaded it (`ERASED_AUTHOR` once erased). */
  user: UserId;
  image: ImageInfo;
  /** Bytes stored for it: image and thumbnail. */
  bytes: number;
  created: number;
  /** The client id of the send that claimed it. */
  clientId?: string;
  /** The message that carries it. */
  messageId?: string;
}

/** Uploads `releaseUploads` removed: content addresses no upload holds any more (their files can go). */
export interface ReleasedUploads {
  removed: number;
  unreferenced: string[];
}

/** See `ChatStore.countUnread`. */
export interface UnreadCount {
  count: number;
  capped: boolean;
}

export interface AppendResult {
  message: ChatMessage;
  /** The (site, sender, clientId) was already stored; `message` is the original. */
  duplicate: boolean;
}

/** With `beforeSeq`, the newest below it; with `afterSeq`, the oldest above it; else the newest. Oldest first. */
export interface HistoryQuery {
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
  /** Reading for this user: each message's `myReactions` are theirs. */
  reader?: UserId;
}

/**
 * What `react` did: the message as it is after it (`changed` false when the
 * reaction was already there, or not there to remove: nothing was written and
 * no change number spent), or why nothing could be.
 */
export type ReactOutcome =
  | { message: ChatMessage; changed: boolean }
  | 'unknown_message'
  | 'message_deleted'
  | 'too_many_reactions';

/** What `setBlocked` did. */
export type BlockOutcome = 'ok' | 'too_many' | 'unknown_user';

/** What `eraseUser` did. */
export interface ErasedUser {
  /** Room messages that became tombstones now (not those already deleted), oldest first: to announce. */
  tombstoned: MessageDeleted[];
  /** Private messages removed, sent by or to the user. */
  privateRemoved: number;
  /** A profile existed and was deleted. */
  profile: boolean;
}

/**
 * A content-hashed widget chunk (`ui-3f9a1c2b.js`) kept for pages loaded
 * before a deploy: its bytes, and the brotli and gzip copies the build wrote.
 */
export interface WidgetChunk {
  name: string;
  body: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

/** A ban or mute before the store gives it an id. */
export type BanDraft = Omit<BanInfo, 'id'>;

export interface ChatStore {
  getSite(id: string): Promise<Site | undefined>;
  listSites(): Promise<Site[]>;
  /**
   * Inserts the site; false (and nothing changed) when its id exists. A new
   * site starts empty: rows left under its id (sent by a server that had not
   * yet noticed an earlier removal) are dropped with the insert.
   */
  addSite(site: Site): Promise<boolean>;
  /** Replaces every setting of an existing site; false when there is none. */
  updateSite(site: Site): Promise<boolean>;
  /** Removes the site with all its users, messages and bans; false when there is none. */
  removeSite(id: string): Promise<boolean>;

  getUser(site: string, id: UserId): Promise<UserInfo | undefined>;
  createUser(site: string, user: NewUser): Promise<CreateUserResult>;
  /** False when another user of the site holds `nameKey`. */
  renameUser(site: string, id: UserId, name: string, nameKey: string, skeleton: string): Promise<boolean>;
  /** Creates or updates an identified user: their name and avatar come from the site's token every time. */
  saveIdentifiedUser(site: string, user: NewUser): Promise<void>;
  /** The identified user (other than `exceptId`) whose name has this skeleton. */
  identifiedUserBySkeleton(site: string, skeleton: string, exceptId: UserId): Promise<UserId | undefined>;

  /** Stores once per (site, sender, clientId) with the next gapless `seq` of the room. */
  appendMessage(site: string, draft: MessageDraft): Promise<AppendResult>;
  history(site: string, room: string, query: HistoryQuery): Promise<HistoryPage>;
  /** Highest seq of the room, 0 when empty. */
  lastSeq(site: string, room: string): Promise<number>;
  /** The message as it is now; with `reader`, their `myReactions`. */
  getMessage(site: string, id: string, reader?: UserId): Promise<ChatMessage | undefined>;
  /**
   * Tombstones a message (text cleared, `deleted` set; seq kept; its reply
   * link, reactions and mentions dropped) with the room's
   * next change number as `rev`; answers the tombstone, or undefined when
   * there is none. A tombstone deleted again is answered as it is.
   */
  deleteMessage(site: string, id: string): Promise<ChatMessage | undefined>;
  /**
   * New text and mentions of a message that is not deleted, `editedAt` = `at`,
   * with the room's next change number as `rev`; undefined when there is no
   * such message or it is deleted.
   */
  editMessage(site: string, id: string, text: string, mentions: UserId[], at: number): Promise<ChatMessage | undefined>;
  /**
   * Adds (`on`) or removes the user's reaction `emoji` in one transaction: a
   * new distinct emoji beyond `maxDistinct` is refused; a write takes the
   * room's next change number as the message's `rev`.
   */
  react(site: string, id: string, user: UserId, emoji: string, on: boolean, maxDistinct: number): Promise<ReactOutcome>;
  /** Highest change number of the room (0 when nothing ever changed). */
  lastRev(site: string, room: string): Promise<number>;
  /**
   * Messages of the room whose `rev` is above `after`, as they are now, in
   * `rev` order, at most `limit` (reading for `reader`): see `ChangesPage`.
   * Costs the page, never the room's history (an index on (site, room, rev)).
   */
  changes(site: string, room: string, after: number, limit: number, reader: UserId): Promise<ChangesPage>;
  /** Of these ids, those that are users of the site. */
  existingUsers(site: string, ids: readonly UserId[]): Promise<UserId[]>;
  /** The user's blocks (current names) and private-message setting; none stored: nothing blocked, guests allowed. */
  getPrivacy(site: string, user: UserId): Promise<Privacy>;
  /** Blocks (at most `max`) or unblocks `target` for `user`; unblocking one not blocked changes nothing. */
  setBlocked(site: string, user: UserId, target: UserId, blocked: boolean, max: number): Promise<BlockOutcome>;
  setRefuseGuestDms(site: string, user: UserId, refuse: boolean): Promise<void>;
  /** Whether `user` blocks `other` (cheap: one indexed lookup, asked on every private message). */
  blocks(site: string, user: UserId, other: UserId): Promise<boolean>;

  /** Every message the user sent, oldest first (private ones included), for a data export. */
  messagesBy(site: string, userId: UserId): Promise<ChatMessage[]>;
  /**
   * Erases every trace of the user in one transaction (see `ErasedUser`): room
   * messages become tombstones by `ERASED_AUTHOR` (seqs kept, client ids
   * replaced), private conversations with them are removed on both sides (with
   * every cursor and seq counter of those conversations), their own cursors and
   * profile are deleted, bans on them alone are deleted and bans that also name
   * an address stay as bans of `ERASED_AUTHOR` there without a reason (they keep
   * holding new guest sessions from that address, never signed-in users, until
   * they end). Their reactions are removed (each message that loses one takes
   * a change number), `<@id>` tokens naming them in others' texts become
   * `<@erased>`, blocks by them or of them are removed. Afterwards no row of
   * the site holds their id or name. Every table added later that stores a user id, a name or a
   * user's content (reactions, mentions, quotes, images, ...) joins this
   * routine (`eraseStatements` in statements.ts, which both drivers run), and
   * the contract test's scan of every table proves it.
   */
  eraseUser(site: string, userId: UserId): Promise<ErasedUser>;
  /** Deletes the site's messages (rooms and private) older than `before` (ms); answers how many. Seqs of the rest stay as they were. */
  pruneMessages(site: string, before: number): Promise<number>;

  /** The highest seq the user acknowledged in the room; 0 when never. */
  getCursor(site: string, userId: UserId, room: string): Promise<number>;
  /** Moves the cursor forward to `seq` (never back); answers the stored value. */
  advanceCursor(site: string, userId: UserId, room: string, seq: number): Promise<number>;
  /**
   * The reader's unread messages of the room after `afterSeq`, reading no
   * more than the next `cap + 1` messages (whatever their sender): `count` is
   * how many of those others sent and are not deleted, at most `cap`;
   * `capped` is true when all `cap + 1` were there, so more may follow and
   * `count` is a lower bound.
   */
  countUnread(site: string, room: string, afterSeq: number, reader: UserId, cap: number): Promise<UnreadCount>;

  addBan(site: string, ban: BanDraft): Promise<BanInfo>;
  /** False when the site has no such ban. */
  removeBan(site: string, id: string): Promise<boolean>;
  /** Bans and mutes of the site still in force at `now`. */
  activeBans(site: string, now: number): Promise<BanInfo[]>;

  /**
   * Records that the widget build `build` (an id naming its set of chunks) was
   * current at `seen`: the build and its chunks are stored, and a build stored
   * before gets the new `seen`. A chunk already stored under its name is kept
   * as it is (names are content-hashed, so the bytes are the same).
   */
  recordWidgetBuild(build: string, chunks: readonly WidgetChunk[], seen: number): Promise<void>;
  /** Names of every stored chunk, of every recorded build. */
  widgetChunkNames(): Promise<string[]>;
  getWidgetChunk(name: string): Promise<WidgetChunk | undefined>;
  /**
   * Keeps the `keep` most recently seen builds that were seen at `since` or
   * later; deletes the other builds and every chunk no kept build has.
   * Answers how many builds went.
   */
  pruneWidgetBuilds(keep: number, since: number): Promise<number>;

  /** Stores a new upload (not yet used by a message). */
  addUpload(site: string, upload: UploadRecord): Promise<void>;
  getUpload(site: string, id: string): Promise<UploadRecord | undefined>;
  /** The upload of `user` becomes the one of the send `clientId`: false when it is not theirs or another send claimed it. */
  claimUpload(site: string, id: string, user: UserId, clientId: string): Promise<boolean>;
  /** The claimed upload is carried by `messageId`. */
  setUploadMessage(site: string, id: string, messageId: string): Promise<void>;
  /** Bytes of every upload of the site. */
  uploadBytes(site: string): Promise<number>;
  /**
   * Removes (at most `limit`) uploads whose message is gone or deleted, and
   * those no message carries that were made before `unusedBefore`; answers
   * the content addresses no remaining upload of the site holds.
   */
  releaseUploads(site: string, unusedBefore: number, limit: number): Promise<ReleasedUploads>;

  close(): Promise<void>;
}
