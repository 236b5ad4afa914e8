/**
 * Hand-written payload checks, one per client event. Nothing from the wire is
 * trusted: types, bounds and patterns are checked, unknown keys are ignored,
 * and each parser answers the request it understood or the error to ack.
 */
import {
  DIRECT_ROOM_PREFIX,
  ErrorCode,
  HISTORY_MAX_LIMIT,
  HISTORY_PAGE_SIZE,
  MESSAGE_MAX_LENGTH,
  ROOM_NAME_PATTERN,
} from '../protocol/index.js';
import type { Ack, UserId } from '../protocol/index.js';
import { fail, ok } from './result.js';

/** The client's retry id: 8–64 URL-safe characters (a UUID fits). */
const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const USER_ID_MAX_LENGTH = 64;

type Payload = Record<string, unknown>;

function isPayload(value: unknown): value is Payload {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): Ack<never> {
  return fail(ErrorCode.InvalidPayload, message);
}

/** A room a client may join: the documented pattern, and not a private conversation. */
export function isRoomName(room: string): boolean {
  return ROOM_NAME_PATTERN.test(room) && !room.toLowerCase().startsWith(DIRECT_ROOM_PREFIX);
}

function room(p: Payload): Ack<string> {
  if (typeof p.room !== 'string') return invalid('room must be a string');
  if (!isRoomName(p.room)) return fail(ErrorCode.InvalidRoom, 'room name is not allowed');
  return ok(p.room);
}

/** Checks text and clientId; the stored text is trimmed. */
function text(p: Payload): Ack<{ text: string; clientId: string }> {
  if (typeof p.text !== 'string') return invalid('text must be a string');
  if (typeof p.clientId !== 'string' || !CLIENT_ID_PATTERN.test(p.clientId)) {
    return invalid('clientId must be 8-64 characters of A-Z a-z 0-9 _ -');
  }
  const trimmed = p.text.trim();
  if (trimmed === '') return fail(ErrorCode.MessageEmpty, 'message is empty');
  // Cheap bound first so a huge string is not split into code points.
  if (trimmed.length > MESSAGE_MAX_LENGTH * 2 || [...trimmed].length > MESSAGE_MAX_LENGTH) {
    return fail(ErrorCode.MessageTooLong, `message is longer than ${MESSAGE_MAX_LENGTH} characters`);
  }
  return ok({ text: trimmed, clientId: p.clientId });
}

function userId(value: unknown, field: string): Ack<UserId> {
  if (typeof value !== 'string' || value === '' || value.length > USER_ID_MAX_LENGTH) {
    return invalid(`${field} must be a user id`);
  }
  return ok(value);
}

export interface PageQuery {
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}

function isIntIn(value: unknown, min: number, max: number): value is number {
  return Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;
}

function page(p: Payload): Ack<PageQuery> {
  const { beforeSeq, afterSeq, limit = HISTORY_PAGE_SIZE } = p;
  if (beforeSeq !== undefined && !isIntIn(beforeSeq, 1, Number.MAX_SAFE_INTEGER)) {
    return invalid('beforeSeq must be an integer ≥ 1');
  }
  if (afterSeq !== undefined && !isIntIn(afterSeq, 0, Number.MAX_SAFE_INTEGER)) {
    return invalid('afterSeq must be an integer ≥ 0');
  }
  if (beforeSeq !== undefined && afterSeq !== undefined) return invalid('give beforeSeq or afterSeq, not both');
  if (!isIntIn(limit, 1, HISTORY_MAX_LIMIT)) return invalid(`limit must be an integer from 1 to ${HISTORY_MAX_LIMIT}`);
  const query: PageQuery = { limit };
  if (beforeSeq !== undefined) query.beforeSeq = beforeSeq;
  if (afterSeq !== undefined) query.afterSeq = afterSeq;
  return ok(query);
}

export function parseRoomRequest(payload: unknown): Ack<{ room: string }> {
  if (!isPayload(payload)) return invalid('payload must be an object');
  const r = room(payload);
  return r.ok ? ok({ room: r.data }) : r;
}

export function parseSend(payload: unknown): Ack<{ room: string; text: string; clientId: string }> {
  if (!isPayload(payload)) return invalid('payload must be an object');
  const r = room(payload);
  if (!r.ok) return r;
  const t = text(payload);
  return t.ok ? ok({ room: r.data, ...t.data }) : t;
}

export function parseHistory(payload: unknown): Ack<PageQuery & { room: string }> {
  if (!isPayload(payload)) return invalid('payload must be an object');
  const r = room(payload);
  if (!r.ok) return r;
  const q = page(payload);
  return q.ok ? ok({ room: r.data, ...q.data }) : q;
}

export function parseTyping(payload: unknown): Ack<{ room: string; typing: boolean }> {
  if (!isPayload(payload)) return invalid('payload must be an object');
  const r = room(payload);
  if (!r.ok) return r;
  if (typeof payload.typing !== 'boolean') return invalid('typing must be a boolean');
  return ok({ room: r.data, typing: payload.typing });
}

/** Only the type: the nickname rules live with the user service. */
export function parseRename(payload: unknown): Ack<{ name: string }> {
  if (!isPayload(payload)) return invalid('payload must be an object');
  if (typeof payload.name !== 'string') return invalid('name must be a string');
  return ok({ name: payload.name });
}

export function parseDirectSend(payload: unknown): Ack<{ to: UserId; text: string; clientId: string }> {
  if (!isPayload(payload)) return invalid('payload must be an object');
  const to = userId(payload.to, 'to');
  if (!to.ok) return to;
  const t = text(payload);
  return t.ok ? ok({ to: to.data, ...t.data }) : t;
}

export function parseDirectHistory(payload: unknown): Ack<PageQuery & { with: UserId }> {
  if (!isPayload(payload)) return invalid('payload must be an object');
  const peer = userId(payload.with, 'with');
  if (!peer.ok) return peer;
  const q = page(payload);
  return q.ok ? ok({ with: peer.data, ...q.data }) : q;
}
