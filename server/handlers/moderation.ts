/**
 * `mod:delete`, `mod:ban` and `mod:erase`: moderation from a moderator's socket
 * (token role `moderator`). Reading a user's data (their private messages
 * included) is not a moderator's: the site owner exports through the admin API.
 */
import { ErrorCode } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import type { Failure } from '../result.js';
import { erasureRef } from '../services/moderation.js';
import type { HandlerContext } from './context.js';
import { findUser } from './guests.js';
import { sweepMedia } from './media.js';
import { acked } from './respond.js';

function notModerator({ socket }: HandlerContext): Failure | undefined {
  return socket.data.role === 'moderator' ? undefined : fail(ErrorCode.Forbidden, 'only moderators may do this');
}

export function moderatorDelete(ctx: HandlerContext) {
  return acked('mod:delete', ctx.logger, async ({ room, messageId }) => {
    const refused = notModerator(ctx);
    if (refused) return refused;
    const deleted = await ctx.services.moderation.deleteMessage(ctx.socket.data.site.id, room, messageId);
    // The audit line says what happened, refusals included.
    if (deleted.ok) {
      ctx.logger.info('message deleted by moderator', { room, messageId });
      sweepMedia(ctx);
    }
    else ctx.logger.info('moderator delete refused', { room, messageId, code: deleted.error.code });
    return deleted;
  });
}

export function moderatorBan(ctx: HandlerContext) {
  return acked('mod:ban', ctx.logger, async ({ userId, kind, durationMs, reason }) => {
    const refused = notModerator(ctx);
    if (refused) return refused;
    const { site, user } = ctx.socket.data;
    if (userId === user.id) return fail(ErrorCode.Forbidden, 'moderators cannot ban themselves');
    // A guest who never posted is not stored, but can be banned while online.
    if (!(await findUser(ctx, userId))) return fail(ErrorCode.UnknownUser, 'no such user on this site');
    const ban = await ctx.services.moderation.ban(site.id, { userId, kind, durationMs, ...(reason ? { reason } : {}) });
    ctx.logger.info('user restricted by moderator', { target: userId, kind, until: ban.until });
    // Moderators are users of the site: the address the ban also holds is not theirs to see.
    const { ip: _address, ...visible } = ban;
    return ok({ ban: visible });
  });
}

export function moderatorErase(ctx: HandlerContext) {
  return acked('mod:erase', ctx.logger, async ({ userId }) => {
    const refused = notModerator(ctx);
    if (refused) return refused;
    if (userId === ctx.socket.data.user.id) return fail(ErrorCode.Forbidden, 'moderators cannot erase themselves');
    const erased = await ctx.services.moderation.eraseUser(ctx.socket.data.site.id, userId);
    ctx.logger.info('user erased by moderator', { target: erasureRef(ctx.socket.data.site.id, userId), ...erased });
    sweepMedia(ctx);
    return ok({ erased });
  });
}
