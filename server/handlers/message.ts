/** `message:send` and `message:history` for chat rooms. */
import { ErrorCode } from '../../protocol/index.js';
import type { HistoryPage, SendResult } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import { storedSender } from './guests.js';
import { postRefusal } from '../services/room-policy.js';
import type { HandlerContext } from './context.js';
import { muteRefusal } from './mute.js';
import { acked } from './respond.js';

/**
 * Stores the message once per clientId and broadcasts it to the whole room,
 * the sender's own sockets included (other tabs need it; the sending tab
 * matches it by id). A retry answers the original with `duplicate: true` and
 * broadcasts nothing.
 */
export function sendMessage(ctx: HandlerContext) {
  const { nsp, socket, services, logger } = ctx;
  return acked('message:send', logger, async ({ room, text, clientId }) => {
    const { site, rooms, role } = socket.data;
    if (!rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before sending to it');
    const siteRecord = await services.sites.get(site.id);
    if (!siteRecord) return fail(ErrorCode.UnknownSite, 'this site no longer exists');
    const refused = postRefusal(siteRecord, room, role) ?? (await muteRefusal(ctx));
    if (refused) return refused;
    const from = await storedSender(ctx);
    const result: SendResult = await services.store.appendMessage(site.id, {
      room,
      clientId,
      from,
      text,
      at: Date.now(),
    });
    if (!result.duplicate) nsp.to(roomChannel(room)).emit('message:new', result.message);
    return ok(result);
  });
}

export function messageHistory({ socket, services, logger }: HandlerContext) {
  return acked('message:history', logger, async ({ room, ...query }) => {
    if (!socket.data.rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before reading its history');
    const page: HistoryPage = await services.store.history(socket.data.site.id, room, query);
    return ok(page);
  });
}
