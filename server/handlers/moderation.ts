/** `mod:delete`, `mod:ban`, `mod:export` and `mod:erase`: moderation from a moderator's socket (token role `moderator`). */
import { ErrorCode } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import type { Failure } from '../result.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

function notModerator({ socket }: HandlerContext): Failure | undefined {
  return socket.data.role === 'moderator' ? undefined : fail(ErrorCode.Forbidden, 'only moderators may do this');
}

export function moderatorDelete(ctx: HandlerContext) {
  return acked('mod:delete', ctx.logger, async ({ room, messageId }) => {
    const refused = notModerator(ctx);
    if (refused) return refused;
    ctx.logger.info('message deleted by moderator', { room, messageId });
    return ctx.services.moderation.deleteMessage(ctx.socket.data.site.id, room, messageId);
  });
}

export function moderatorBan(ctx: HandlerContext) {
  return acked('mod:ban', ctx.logger, async ({ userId, kind, durationMs, reason }) => {
    const refused = notModerator(ctx);
    if (refused) return refused;
    const { site, user } = ctx.socket.data;
    if (userId === user.id) return fail(ErrorCode.Forbidden, 'moderators cannot ban themselves');
    if (!(await ctx.services.users.get(site.id, userId))) return fail(ErrorCode.UnknownUser, 'no such user on this site');
    const ban = await ctx.services.moderation.ban(site.id, { userId, kind, durationMs, ...(reason ? { reason } : {}) });
    ctx.logger.info('user restricted by moderator', { target: userId, kind, until: ban.until });
    // Moderators are users of the site: the address the ban also holds is not theirs to see.
    const { ip: _address, ...visible } = ban;
    return ok({ ban: visible });
  });
}

export function moderatorExport(ctx: HandlerContext) {
  return acked('mod:export', ctx.logger, async ({ userId }) => {
    const refused = notModerator(ctx);
    if (refused) return refused;
    const data = await ctx.services.moderation.exportUser(ctx.socket.data.site.id, userId);
    if (!data.user && data.messages.length === 0) return fail(ErrorCode.UnknownUser, 'no such user on this site');
    ctx.logger.info('user exported by moderator', { target: userId });
    return ok(data);
  });
}

export function moderatorErase(ctx: HandlerContext) {
  return acked('mod:erase', ctx.logger, async ({ userId }) => {
    const refused = notModerator(ctx);
    if (refused) return refused;
    if (userId === ctx.socket.data.user.id) return fail(ErrorCode.Forbidden, 'moderators cannot erase themselves');
    const erased = await ctx.services.moderation.eraseUser(ctx.socket.data.site.id, userId);
    ctx.logger.info('user erased by moderator', { target: userId, ...erased });
    return ok({ erased });
  });
}
