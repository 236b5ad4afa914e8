/**
 * The schema of every client event, compiled once, checked by the event guard
 * before any handler runs. Nothing from the wire is trusted: types, bounds and
 * patterns are checked, unknown keys are dropped, and text is normalised
 * (`normalizeText`) before its length is measured. Handlers receive only the
 * parsed output.
 *
 * A check whose failure has its own error code carries that code as its
 * message; every other failure is `invalid_payload`.
 */
import * as v from 'valibot';
import {
  CHANGES_MAX_LIMIT,
  CHANGES_PAGE_SIZE,
  DIRECT_ROOM_PREFIX,
  ErrorCode,
  HISTORY_MAX_LIMIT,
  HISTORY_PAGE_SIZE,
  MESSAGE_MAX_LENGTH,
  MOD_BAN_MAX_DURATION_MS,
  NICKNAME_MAX_LENGTH,
  PRESENCE_PAGE_MAX,
  PRESENCE_PAGE_SIZE,
  REACTION_EMOJI_MAX_LENGTH,
  ROOM_NAME_MAX_LENGTH,
  ROOM_NAME_PATTERN,
} from '../protocol/index.js';
import type { Ack, ClientToServerEvents } from '../protocol/index.js';
import { fail, ok } from './result.js';
import { normalizeText } from './security/text.js';
import { MAX_TOKEN_LENGTH } from './security/token.js';

/** The client's retry id: 8–64 URL-safe characters (a UUID fits). */
const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const USER_ID_MAX_LENGTH = 64;
const MESSAGE_ID_MAX_LENGTH = 64;
const REASON_MAX_LENGTH = 200;
/** Longer raw text is refused before normalising it; NFC may shrink text but never by this much. */
const RAW_TEXT_MAX_LENGTH = MESSAGE_MAX_LENGTH * 8;

/** Longer raw room names are refused before normalising: a name of 64 code points written decomposed stays well below it. */
const RAW_ROOM_MAX_LENGTH = ROOM_NAME_MAX_LENGTH * 8;

/**
 * The room a name stands for, in NFC (the form rooms are stored and compared
 * in), when a client may join it: the documented pattern, and not a private
 * conversation. Undefined when not.
 */
export function roomName(raw: string): string | undefined {
  if (raw.length > RAW_ROOM_MAX_LENGTH) return undefined;
  const room = raw.normalize('NFC');
  return ROOM_NAME_PATTERN.test(room) && !room.toLowerCase().startsWith(DIRECT_ROOM_PREFIX) ? room : undefined;
}

/** Failures with a code of their own, and what the client is told. */
const SPECIFIC: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.InvalidRoom]: 'room name is not allowed',
  [ErrorCode.MessageEmpty]: 'message is empty',
  [ErrorCode.MessageTooLong]: `message is longer than ${MESSAGE_MAX_LENGTH} characters`,
  [ErrorCode.InvalidEmoji]: 'a reaction is one emoji',
};

const room = v.pipe(v.string(), v.transform(roomName), v.string(ErrorCode.InvalidRoom));
const clientId = v.pipe(v.string(), v.regex(CLIENT_ID_PATTERN, 'clientId must be 8-64 characters of A-Z a-z 0-9 _ -'));
const userId = v.pipe(v.string(), v.minLength(1), v.maxLength(USER_ID_MAX_LENGTH));

/** Normalised and trimmed, then measured in code points; may be empty (an image's caption). */
const caption = v.pipe(
  v.string(),
  v.maxLength(RAW_TEXT_MAX_LENGTH, ErrorCode.MessageTooLong),
  v.transform((raw) => normalizeText(raw).trim()),
  v.check((t) => t.length <= MESSAGE_MAX_LENGTH || (t.length <= MESSAGE_MAX_LENGTH * 2 && codePoints(t) <= MESSAGE_MAX_LENGTH), ErrorCode.MessageTooLong),
);
/** A text that is not empty. */
const text = v.pipe(caption, v.minLength(1, ErrorCode.MessageEmpty));
/** An upload id, as the upload answered it. */
const uploadId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'image is not an upload id'));

/** Code points in `t`, counted without splitting it (a string never has more code points than UTF-16 units, so most texts need no count). */
function codePoints(t: string): number {
  let n = 0;
  for (let i = 0; i < t.length; i++, n++) {
    const unit = t.charCodeAt(i);
    const next = t.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
  }
  return n;
}

const messageId = v.pipe(v.string(), v.minLength(1), v.maxLength(MESSAGE_ID_MAX_LENGTH));

/** One RGI emoji (a sequence: flags, skin tones, families), never text. Built at run time: the `v` flag is newer than the compile target. */
const RGI_EMOJI = new RegExp('^\\p{RGI_Emoji}$', 'v');
const emoji = v.pipe(
  v.string(),
  v.maxLength(REACTION_EMOJI_MAX_LENGTH * 2, ErrorCode.InvalidEmoji),
  v.check((e) => RGI_EMOJI.test(e), ErrorCode.InvalidEmoji),
);

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(v.number(), v.safeInteger(), v.minValue(min), v.maxValue(max));

const page = {
  beforeSeq: v.optional(int(1)),
  afterSeq: v.optional(int(0)),
  limit: v.optional(int(1, HISTORY_MAX_LIMIT), HISTORY_PAGE_SIZE),
};
const notBothDirections = <T extends { beforeSeq?: number; afterSeq?: number }>() =>
  v.check<T, string>((p) => p.beforeSeq === undefined || p.afterSeq === undefined, 'give beforeSeq or afterSeq, not both');

const roomRequest = v.object({ room });

/** A `presence:list` cursor: base64url of a sort key (a folded name of at most 32 code points and an id). */
const CURSOR_MAX_LENGTH = 512;
/** A name prefix: normalised and trimmed like a nickname, then measured in code points. */
const namePrefix = v.pipe(
  v.string(),
  v.maxLength(RAW_TEXT_MAX_LENGTH),
  v.transform((raw) => normalizeText(raw).trim()),
  v.check((t) => [...t].length <= NICKNAME_MAX_LENGTH, `query is longer than ${NICKNAME_MAX_LENGTH} characters`),
);

/** One schema per client event; an event missing here is unknown and ignored. */
export const EVENT_SCHEMAS = {
  'room:join': v.object({ room, quiet: v.optional(v.boolean(), false) }),
  'room:leave': roomRequest,
  'message:send': v.pipe(
    v.object({ room, text: caption, clientId, replyTo: v.optional(messageId), image: v.optional(uploadId) }),
    v.check((m) => m.text.length > 0 || m.image !== undefined, ErrorCode.MessageEmpty),
  ),
  'message:history': v.pipe(v.object({ room, ...page }), notBothDirections()),
  'message:edit': v.object({ room, messageId, text }),
  'message:delete': v.object({ room, messageId }),
  'message:react': v.object({ room, messageId, emoji, on: v.boolean() }),
  'message:changes': v.object({ room, after: int(0), limit: v.optional(int(1, CHANGES_MAX_LIMIT), CHANGES_PAGE_SIZE) }),
  'room:ack': v.object({ room, seq: int(0) }),
  'session:ping': v.object({}),
  // Only the type and a bound: the token is checked like a handshake's.
  'session:renew': v.object({ token: v.pipe(v.string(), v.maxLength(MAX_TOKEN_LENGTH)) }),
  'presence:list': v.object({
    room,
    query: v.optional(namePrefix),
    after: v.optional(v.pipe(v.string(), v.maxLength(CURSOR_MAX_LENGTH), v.regex(/^[A-Za-z0-9_-]*$/, 'after is not a cursor of this server'))),
    limit: v.optional(int(1, PRESENCE_PAGE_MAX), PRESENCE_PAGE_SIZE),
  }),
  'typing:set': v.object({ room, typing: v.boolean() }),
  // Only the type: the nickname rules live with the user service.
  'user:rename': v.object({ name: v.pipe(v.string(), v.maxLength(RAW_TEXT_MAX_LENGTH)) }),
  'media:ticket': roomRequest,
  'user:privacy': v.pipe(
    v.object({ block: v.optional(userId), unblock: v.optional(userId), refuseGuestDms: v.optional(v.boolean()) }),
    v.check((p) => p.block !== undefined || p.unblock !== undefined || p.refuseGuestDms !== undefined, 'give block, unblock or refuseGuestDms'),
  ),
  'dm:send': v.object({ to: userId, text, clientId }),
  'dm:history': v.pipe(v.object({ with: userId, ...page }), notBothDirections()),
  'mod:delete': v.object({ room, messageId }),
  'mod:erase': v.object({ userId }),
  'mod:ban': v.object({
    userId,
    kind: v.picklist(['ban', 'mute']),
    durationMs: int(1, MOD_BAN_MAX_DURATION_MS),
    reason: v.optional(v.pipe(v.string(), v.transform(normalizeText), v.maxLength(REASON_MAX_LENGTH))),
  }),
} satisfies Record<keyof ClientToServerEvents, v.GenericSchema>;

export type ClientEvent = keyof typeof EVENT_SCHEMAS;
/** What a handler of `E` receives: the payload as the schema parsed it. */
export type EventRequest<E extends ClientEvent> = v.InferOutput<(typeof EVENT_SCHEMAS)[E]>;

export function isClientEvent(event: unknown): event is ClientEvent {
  return typeof event === 'string' && Object.hasOwn(EVENT_SCHEMAS, event);
}

export function parseEvent<E extends ClientEvent>(event: E, payload: unknown): Ack<EventRequest<E>> {
  const result = v.safeParse(EVENT_SCHEMAS[event], payload, { abortEarly: true });
  if (result.success) return ok(result.output as EventRequest<E>);
  const issue = result.issues[0];
  const specific = SPECIFIC[issue.message as ErrorCode];
  if (specific !== undefined) return fail(issue.message as ErrorCode, specific);
  const path = issue.path?.map((item) => String(item.key)).join('.') || 'payload';
  // Valibot's own messages quote the received value; never echo what the client sent.
  const own = !issue.message.startsWith('Invalid ');
  const expected = issue.expected === null ? '' : ` (expected ${issue.expected})`;
  return fail(ErrorCode.InvalidPayload, own ? `${path}: ${issue.message}` : `${path} is invalid${expected}`);
}
