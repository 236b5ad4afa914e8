/** `message:send` and `message:history` for chat rooms. */
import { ErrorCode } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import { postRefusal } from '../services/room-policy.js';
import type { HandlerContext } from './context.js';
import { storedSender } from './guests.js';
import { muteRefusal } from './mute.js';
import { acked } from './respond.js';

/** Stores the message once per clientId (a reply: to a message of the room) and broadcasts it to the room (see `MessageService.post`). */
export function sendMessage(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('message:send', logger, async ({ room, text, clientId, replyTo, image }) => {
    const { site, rooms, role } = socket.data;
    if (!rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before sending to it');
    const siteRecord = await services.sites.get(site.id);
    if (!siteRecord) return fail(ErrorCode.UnknownSite, 'this site no longer exists');
    const refused = postRefusal(siteRecord, room, role) ?? (await muteRefusal(ctx));
    if (refused) return refused;
    const from = await storedSender(ctx);
    if (image === undefined) return services.messages.post(site.id, room, from, text, clientId, replyTo);
    // Claimed for this send first, so a retry finds it again and no other send can take it.
    const claimed = await services.media.claim(site.id, from.id, image, clientId);
    if (!claimed.ok) return claimed;
    const sent = await services.messages.post(site.id, room, from, text, clientId, replyTo, claimed.data);
    if (sent.ok) await services.media.attach(site.id, image, sent.data.message.id);
    return sent;
  });
}

export function messageHistory({ socket, services, logger }: HandlerContext) {
  return acked('message:history', logger, async ({ room, ...query }) => {
    if (!socket.data.rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before reading its history');
    return ok(await services.messages.history(socket.data.site.id, room, query, socket.data.user.id));
  });
}
