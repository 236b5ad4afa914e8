/** `user:privacy`: blocks and the private-message setting (see `PrivacyService`). */
import { ErrorCode } from '../../protocol/index.js';
import { fail } from '../result.js';
import type { HandlerContext } from './context.js';
import { adopt, findUser, storedSender } from './guests.js';
import { acked } from './respond.js';

/**
 * Blocks are kept with the user, so a guest who never posted is stored first,
 * and so is an online guest they block (as a private message's recipient is).
 */
export function setPrivacy(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('user:privacy', logger, async (change) => {
    const { site, user } = socket.data;
    if (change.block === user.id) return fail(ErrorCode.SelfMessage, 'you cannot block yourself');
    if (change.block !== undefined) {
      const target = await findUser(ctx, change.block);
      if (!target) return fail(ErrorCode.UnknownUser, 'no such user on this site');
      if (!target.stored) await adopt(ctx, target.user, target.lang ?? 'en');
    }
    const me = await storedSender(ctx);
    return services.privacy.change(site.id, me.id, change);
  });
}
