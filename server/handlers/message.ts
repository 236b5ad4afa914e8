/** `message:send` and `message:history` for chat rooms. */
import { ErrorCode } from '../../protocol/index.js';
import type { HistoryPage, SendResult } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import { parseHistory, parseSend } from '../validate.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

/**
 * Stores the message once per clientId and broadcasts it to the whole room,
 * the sender's own sockets included (other tabs need it; the sending tab
 * matches it by id). A retry answers the original with `duplicate: true` and
 * broadcasts nothing.
 */
export function sendMessage({ nsp, socket, services, logger }: HandlerContext) {
  return acked('message:send', logger, async (payload) => {
    const req = parseSend(payload);
    if (!req.ok) return req;
    const { room, text, clientId } = req.data;
    const { site, user, rooms } = socket.data;
    if (!rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before sending to it');
    const result: SendResult = await services.store.appendMessage(site.id, {
      room,
      clientId,
      from: user,
      text,
      at: Date.now(),
    });
    if (!result.duplicate) nsp.to(roomChannel(room)).emit('message:new', result.message);
    return ok(result);
  });
}

export function messageHistory({ socket, services, logger }: HandlerContext) {
  return acked('message:history', logger, async (payload) => {
    const req = parseHistory(payload);
    if (!req.ok) return req;
    const { room, ...query } = req.data;
    if (!socket.data.rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before reading its history');
    const page: HistoryPage = await services.store.history(socket.data.site.id, room, query);
    return ok(page);
  });
}
