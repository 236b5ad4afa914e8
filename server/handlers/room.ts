/** `room:join` (quiet or not), `room:leave` and `room:ack`, and leaving every room on disconnect. */
import { ErrorCode, MAX_ROOMS_PER_SOCKET } from '../../protocol/index.js';
import type { JoinResult } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import { joinRefusal } from '../services/room-policy.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

/**
 * Joins a room and answers its latest history, presence, cursor and unread
 * count. Joining again answers the same (a second view of the room on one
 * connection needs it) without announcing or entering presence again. Every
 * read is bounded (see `MessageService.catchUp`).
 *
 * A quiet join follows the room (live messages, deletions) without entering
 * its presence and writes nothing; a later join without `quiet` enters it, and
 * a quiet join of a room the socket is already in changes nothing.
 */
export function joinRoom({ socket, services, logger }: HandlerContext) {
  return acked('room:join', logger, async ({ room, quiet }) => {
    const { site, user, rooms, quietRooms, role, allowedRooms } = socket.data;
    const siteRecord = await services.sites.get(site.id);
    const refused = siteRecord && joinRefusal(siteRecord, room, { kind: user.kind, role, allowedRooms });
    if (refused) return refused;
    const already = rooms.has(room);
    if (!already && rooms.size >= MAX_ROOMS_PER_SOCKET) {
      return fail(ErrorCode.TooManyRooms, `a connection may be in at most ${MAX_ROOMS_PER_SOCKET} rooms`);
    }
    // Enters presence: a first join without `quiet`, or the first such join after quiet ones.
    const enters = !quiet && (!already || quietRooms.has(room));
    if (!already) {
      // Joined before reading history: a message sent meanwhile arrives live (the widget dedupes by id).
      rooms.add(room);
      if (quiet) quietRooms.add(room);
      await socket.join(roomChannel(room));
    }
    if (enters) quietRooms.delete(room);
    const presence = enters
      ? await services.presence.enter(site.id, room, user, socket.id)
      : await services.presence.presence(site.id, room);
    const { page, cursor, unread, lastRev } = await services.messages.catchUp(site.id, room, user.id);
    const result: JoinResult = {
      room,
      presence,
      messages: page.messages,
      hasMore: page.hasMore,
      lastSeq: page.messages.at(-1)?.seq ?? 0,
      lastRev,
      cursor,
      unread: unread.count,
      unreadCapped: unread.capped,
    };
    return ok(result);
  });
}

/** `room:ack`: a client received a room up to `seq`; the user's cursor moves forward to it. */
export function ackRoom({ socket, services, logger }: HandlerContext) {
  return acked('room:ack', logger, async ({ room, seq }) => {
    const { site, user, rooms } = socket.data;
    if (!rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before acknowledging it');
    const cursor = await services.messages.acknowledge(site.id, user.id, room, seq);
    return ok({ room, cursor });
  });
}

/** Leaves a room; leaving a room the socket is not in is a no-op. */
export function leaveRoom(ctx: HandlerContext) {
  return acked('room:leave', ctx.logger, async ({ room }) => {
    await leave(ctx, room);
    return ok({ room });
  });
}

/** On disconnect: every room the socket was in is left (announced after the grace period). */
export function leaveAllRooms(ctx: HandlerContext) {
  return async (): Promise<void> => {
    try {
      await Promise.all([...ctx.socket.data.rooms].map((room) => leave(ctx, room)));
    } catch (err) {
      ctx.logger.error('leaving rooms on disconnect failed', { err });
    }
  };
}

/** Leaving a room joined quietly announces nothing: the user was never in its presence. */
async function leave({ socket, services }: HandlerContext, room: string): Promise<void> {
  const { site, user, rooms, quietRooms } = socket.data;
  if (!rooms.delete(room)) return;
  const quiet = quietRooms.delete(room);
  await socket.leave(roomChannel(room));
  if (!quiet) await services.presence.exit(site.id, room, user.id, socket.id);
}
