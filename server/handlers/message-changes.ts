/** `message:edit`, `message:delete`, `message:react` and `message:changes` in chat rooms (see `MessageChangeService`). */
import { ErrorCode } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import type { Failure } from '../result.js';
import { editWindowMs } from '../services/message-changes.js';
import { postRefusal } from '../services/room-policy.js';
import type { HandlerContext } from './context.js';
import { storedSender } from './guests.js';
import { sweepMedia } from './media.js';
import { muteRefusal } from './mute.js';
import { acked } from './respond.js';

function notInRoom({ socket }: HandlerContext, room: string): Failure | undefined {
  return socket.data.rooms.has(room) ? undefined : fail(ErrorCode.NotInRoom, 'join the room first');
}

/** An edit is refused where a post would be (a read-only room, a mute), then checked like a post's text. */
export function editMessage(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('message:edit', logger, async ({ room, messageId, text }) => {
    const { site, user, role } = socket.data;
    const outside = notInRoom(ctx, room);
    if (outside) return outside;
    const siteRecord = await services.sites.get(site.id);
    if (!siteRecord) return fail(ErrorCode.UnknownSite, 'this site no longer exists');
    const refused = postRefusal(siteRecord, room, role) ?? (await muteRefusal(ctx));
    if (refused) return refused;
    return services.changes.edit(site.id, room, messageId, { id: user.id, role }, text, editWindowMs(siteRecord));
  });
}

/** Deleting one's own message is allowed muted and in read-only rooms: it only takes something away. */
export function deleteMessage(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('message:delete', logger, async ({ room, messageId }) => {
    const outside = notInRoom(ctx, room);
    if (outside) return outside;
    const { site, user, role } = socket.data;
    const deleted = await services.changes.delete(site.id, room, messageId, { id: user.id, role });
    if (deleted.ok && role === 'moderator') logger.info('message deleted by moderator', { room, messageId });
    if (deleted.ok) sweepMedia(ctx);
    return deleted;
  });
}

/** Reactions are refused to muted users, but allowed in read-only rooms (they post no text). */
export function reactToMessage(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('message:react', logger, async ({ room, messageId, emoji, on }) => {
    const outside = notInRoom(ctx, room);
    if (outside) return outside;
    const muted = await muteRefusal(ctx);
    if (muted) return muted;
    // A reaction names its user: a guest who never posted is stored first.
    const user = await storedSender(ctx);
    const { site, role } = socket.data;
    return services.changes.react(site.id, room, messageId, { id: user.id, role }, emoji, on);
  });
}

export function messageChanges(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('message:changes', logger, async ({ room, after, limit }) => {
    const outside = notInRoom(ctx, room);
    if (outside) return outside;
    const { site, user } = socket.data;
    return ok(await services.changes.changes(site.id, room, after, limit, user.id));
  });
}
