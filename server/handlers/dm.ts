/**
 * Private messages between two users of a site: `dm:send` and `dm:history`.
 * Stored like room messages (seq, dedupe) in the conversation `dm:<a>:<b>`,
 * which no client can join as a room, and delivered to every tab of both users.
 */
import { ErrorCode, directConversation } from '../../protocol/index.js';
import type { HistoryPage, SendResult } from '../../protocol/index.js';
import { userChannel } from '../channels.js';
import { fail, ok } from '../result.js';
import { directRefusal } from '../services/room-policy.js';
import type { HandlerContext } from './context.js';
import { adopt, findUser, storedSender } from './guests.js';
import { muteRefusal } from './mute.js';
import { acked } from './respond.js';

export function sendDirect(ctx: HandlerContext) {
  const { nsp, socket, services, logger } = ctx;
  return acked('dm:send', logger, async ({ to, text, clientId }) => {
    const { site } = socket.data;
    const refused = await guestRefusal(ctx);
    if (refused) return refused;
    if (to === socket.data.user.id) return fail(ErrorCode.SelfMessage, 'a private message needs another recipient');
    const recipient = await findUser(ctx, to);
    if (!recipient) return fail(ErrorCode.UnknownUser, 'no such user on this site');
    const muted = await muteRefusal(ctx);
    if (muted) return muted;
    const user = await storedSender(ctx);
    // Stored with the message, so the conversation outlives the recipient's session.
    if (!recipient.stored) await adopt(ctx, recipient.user, recipient.lang ?? 'en');
    const result: SendResult = await services.store.appendMessage(site.id, {
      room: directConversation(user.id, to),
      clientId,
      from: user,
      text,
      at: Date.now(),
      to,
    });
    if (!result.duplicate) nsp.to([userChannel(user.id), userChannel(to)]).emit('dm:new', result.message);
    return ok(result);
  });
}

export function directHistory(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('dm:history', logger, async ({ with: peer, ...query }) => {
    const { site, user } = socket.data;
    const refused = await guestRefusal(ctx);
    if (refused) return refused;
    if (peer === user.id) return fail(ErrorCode.SelfMessage, 'a private conversation needs another user');
    if (!(await findUser(ctx, peer))) return fail(ErrorCode.UnknownUser, 'no such user on this site');
    const page: HistoryPage = await services.store.history(site.id, directConversation(user.id, peer), query);
    return ok(page);
  });
}

/** Checked first, before anything that depends on the other user (see `directRefusal`). */
async function guestRefusal({ socket, services }: HandlerContext) {
  const site = await services.sites.get(socket.data.site.id);
  return site && directRefusal(site, socket.data.user);
}
