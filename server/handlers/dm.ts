/** Direct messages between two users of a site: `dm:send` and `dm:history` (see `MessageService.sendDirect`). */
import { ErrorCode } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import { directRefusal } from '../services/room-policy.js';
import type { HandlerContext } from './context.js';
import { adopt, findUser, storedSender } from './guests.js';
import { muteRefusal } from './mute.js';
import { acked } from './respond.js';

export function sendDirect(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('dm:send', logger, async ({ to, text, clientId }) => {
    const { site } = socket.data;
    const refused = await guestRefusal(ctx);
    if (refused) return refused;
    if (to === socket.data.user.id) return fail(ErrorCode.SelfMessage, 'a private message needs another recipient');
    const recipient = await findUser(ctx, to);
    if (!recipient) return fail(ErrorCode.UnknownUser, 'no such user on this site');
    const muted = await muteRefusal(ctx);
    if (muted) return muted;
    // A recipient not stored yet has no blocks or setting.
    const unwelcome = recipient.stored && (await services.privacy.directRefusal(site.id, socket.data.user, to));
    if (unwelcome) return unwelcome;
    const user = await storedSender(ctx);
    // Stored with the message, so the conversation outlives the recipient's session.
    if (!recipient.stored) await adopt(ctx, recipient.user, recipient.lang ?? 'en');
    return ok(await services.messages.sendDirect(site.id, user, to, text, clientId));
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
    return ok(await services.messages.directHistory(site.id, user.id, peer, query));
  });
}

/** Checked first, before anything that depends on the other user (see `directRefusal`). */
async function guestRefusal({ socket, services }: HandlerContext) {
  const site = await services.sites.get(socket.data.site.id);
  return site && directRefusal(site, socket.data.user);
}
