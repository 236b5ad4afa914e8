/**
 * Limits shared by server and widget. The server enforces every one of them;
 * the widget checks the same numbers before sending so a user sees the reason
 * at once instead of a round trip later.
 */
import type { UserInfo } from './types.js';

/** Longest message text, in Unicode code points, after trimming. */
export const MESSAGE_MAX_LENGTH = 2000;

/**
 * Largest Socket.IO frame the server accepts (`maxHttpBufferSize`). A bigger
 * frame makes Socket.IO drop the connection, so clients must stay well below it.
 */
export const MAX_PAYLOAD_BYTES = 16 * 1024;

/** Nickname length bounds, in code points, after trimming and collapsing spaces. */
export const NICKNAME_MIN_LENGTH = 2;
export const NICKNAME_MAX_LENGTH = 32;

/**
 * Room names: 1–64 code points of letters and digits of any script, combining
 * marks and `. _ ~ : / -`, starting with a letter or digit; no spaces,
 * controls, bidi controls or invisible (default-ignorable) characters. The
 * server compares and stores them in Unicode NFC, normalising what it is sent,
 * so `café` written composed or decomposed is one room.
 */
export const ROOM_NAME_MAX_LENGTH = 64;
export const ROOM_NAME_PATTERN =
  /^(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{N}](?:(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{M}\p{N}._~:/-]){0,63}$/u;

/** Site ids: lower-case letters, digits and `-`, 1–32 characters. */
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Guest keys (kept by the browser, secret to it): 16–64 URL-safe characters. */
export const GUEST_KEY_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** Messages returned on join and per history page unless a smaller `limit` is asked for. */
export const HISTORY_PAGE_SIZE = 50;
/** Largest `limit` a history request may ask for. */
export const HISTORY_MAX_LIMIT = 100;

/** Rooms one socket may be in at once. */
export const MAX_ROOMS_PER_SOCKET = 10;

/** A client sends `typing:set {typing: true}` at most this often while typing. */
export const TYPING_THROTTLE_MS = 2000;
/** A typing indicator disappears on its own this long after the last `typing: true`. */
export const TYPING_TIMEOUT_MS = 5000;

/** A member whose last socket left is announced as gone only after this delay, so a quick reconnect shows nothing. */
export const PRESENCE_GRACE_MS = 3000;
/**
 * The big-room size: a room of at most this many members gets its full member
 * list in every presence update, its joins and leaves by name, rename notices
 * and per-user typing updates; a bigger room gets counts, summaries and
 * `presence:list`. A server may be configured lower, never higher.
 */
export const PRESENCE_LIST_MAX = 100;
/** Presence updates of a room are coalesced into one per window, cluster-wide: at most 4 a second reach a client. */
export const PRESENCE_WINDOW_MS = 250;
/**
 * Above the big-room size the window is this long: such updates carry only
 * counts and summaries, and each one is a frame to every member.
 */
export const BIG_ROOM_PRESENCE_WINDOW_MS = 1000;
/** A window's joins (or leaves) are named one by one up to this many; more are a summary ("12 people joined"). */
export const PRESENCE_NAMED_CHANGES_MAX = 3;
/** Members per `presence:list` page when no `limit` is given, and the most a `limit` may ask for. */
export const PRESENCE_PAGE_SIZE = 50;
export const PRESENCE_PAGE_MAX = 100;
/** A big room's typing summary goes out at most this often (cluster-wide). */
export const TYPING_SUMMARY_MS = 1000;
/** A typing summary names at most this many typists. */
export const TYPING_NAMED_MAX = 3;

/**
 * Room names starting with this (in any case) are reserved for the stored
 * conversations of private messages (`dm:<idA>:<idB>`); `room:join` refuses
 * them with `invalid_room` even though they match `ROOM_NAME_PATTERN`.
 */
export const DIRECT_ROOM_PREFIX = 'dm:';

/**
 * The author of an erased user's tombstones: after `mod:erase` no id and no
 * name of theirs is left on them. No user has this id.
 */
export const ERASED_AUTHOR = { id: 'erased', name: '', kind: 'guest' } as const satisfies UserInfo;

/**
 * The query parameter of the connection URL that names the site
 * (`io(server + '/s/' + site, { query: { [SITE_QUERY_PARAM]: site } })`).
 * Socket.IO puts `query` on the Engine.IO handshake request, where the Origin
 * is checked before any namespace is known; it must equal the namespace's site.
 */
export const SITE_QUERY_PARAM = 'site';

/** Longest mute or ban a moderator may impose through `mod:ban` (the admin API has no cap). */
export const MOD_BAN_MAX_DURATION_MS = 30 * 24 * 3600 * 1000;

/**
 * App-level heartbeat of the widget (`session:ping`): one every
 * `PING_INTERVAL_MS` while connected, each answered within `PING_TIMEOUT_MS`
 * or counted as missed; after `PING_MAX_MISSES` misses in a row (the next ping
 * goes out at once after a miss) the connection counts as dead and is
 * re-established. So a half-open connection is noticed within
 * PING_INTERVAL_MS + PING_MAX_MISSES × PING_TIMEOUT_MS = 7 s.
 */
export const PING_INTERVAL_MS = 3000;
export const PING_TIMEOUT_MS = 2000;
export const PING_MAX_MISSES = 2;

/** Delivery acks (`room:ack`) are batched: at most one per room this often. */
export const CURSOR_ACK_DELAY_MS = 1000;

/**
 * `room:join` counts a user's unread messages exactly up to this many; beyond
 * it the answer says `unreadCapped` (the widget shows "99+"), so a join never
 * reads more than `UNREAD_CAP + 1` messages whatever the room's size.
 */
export const UNREAD_CAP = 99;

/** A site's edit window unless it sets `editWindowMinutes`: a message can be edited this long after it was sent. */
export const EDIT_WINDOW_MS = 15 * 60_000;

/** Distinct emoji one message may carry. */
export const REACTION_EMOJI_MAX = 20;
/** A reaction names at most this many of those who reacted (`Reaction.users`). */
export const REACTION_NAMES_MAX = 10;
/** Longest reaction emoji, in code points (a flag, a skin tone or a family sequence fits). */
export const REACTION_EMOJI_MAX_LENGTH = 16;
/** The widget's quick reactions, in order. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉'] as const;

/** A reply's quote of its original: first line, at most this many code points. */
export const REPLY_EXCERPT_MAX = 120;

/**
 * A mention in a message's text: `<@userId>`. After the mentioned user's
 * erase the token reads `<@erased>` (`ERASED_AUTHOR.id`, shown without a name).
 */
export const MENTION_PATTERN = /<@([gu]_[A-Za-z0-9_-]{1,40}|erased)>/g;
/** Distinct users one message may mention. */
export const MENTIONS_MAX = 20;

/** Changed messages per `message:changes` page when no `limit` is given, and the most a `limit` may ask for. */
export const CHANGES_PAGE_SIZE = 100;
export const CHANGES_MAX_LIMIT = 200;

/** Users one user may block. */
export const BLOCKS_MAX = 500;

/** Image limits unless a site sets its own: bytes of an uploaded file, and pixels of the picture (every frame). */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
export const IMAGE_MAX_PIXELS = 40_000_000;
/** The longer side of a thumbnail, in px. */
export const THUMBNAIL_MAX_SIDE = 480;
/** An upload ticket is good for this long. */
export const UPLOAD_TICKET_MS = 5 * 60_000;

/**
 * The version of this wire protocol, sent by clients in the handshake as
 * `auth.protocol`. It grows when the protocol changes in a way a server may
 * have to know its clients understand; 2 added `room:join { quiet }`; 3
 * moved joins and leaves into coalesced `presence:update`s and added big
 * rooms (`presence:list`, `typing:summary`); 4 added rich conversation
 * (replies, reactions, edits, own deletions, mentions, images, blocks) and
 * change replay (`rev`, `message:changes`). A
 * server started with a minimum above a client's version refuses it with
 * `client_outdated` (the widget then reloads its page at a quiet moment).
 */
export const PROTOCOL_VERSION = 4;

/** What a handshake without `auth.protocol` counts as: pages from before the version was sent. */
export const UNVERSIONED_PROTOCOL = 1;
