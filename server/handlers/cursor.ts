/** `room:ack`: a client received a room up to `seq`; the user's cursor moves forward to it. */
import { ErrorCode } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

export function ackCursor({ socket, services, logger }: HandlerContext) {
  return acked('room:ack', logger, async ({ room, seq }) => {
    const { site, user, rooms } = socket.data;
    if (!rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before acknowledging it');
    // A cursor past the end would hide messages not yet written from the next replay.
    const last = await services.store.lastSeq(site.id, room);
    const cursor = await services.store.advanceCursor(site.id, user.id, room, Math.min(seq, last));
    return ok({ room, cursor });
  });
}
