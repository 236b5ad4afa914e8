/** `media:ticket`: permission to upload one image for a room the socket is in (see `MediaService.ticket`). */
import { ErrorCode } from '../../protocol/index.js';
import { fail } from '../result.js';
import { postRefusal } from '../services/room-policy.js';
import type { HandlerContext } from './context.js';
import { muteRefusal } from './mute.js';
import { acked } from './respond.js';

export function mediaTicket(ctx: HandlerContext) {
  const { socket, services, logger } = ctx;
  return acked('media:ticket', logger, async ({ room }) => {
    const { site, rooms, role, user } = socket.data;
    if (!rooms.has(room)) return fail(ErrorCode.NotInRoom, 'join the room before uploading to it');
    const siteRecord = await services.sites.get(site.id);
    if (!siteRecord) return fail(ErrorCode.UnknownSite, 'this site no longer exists');
    const refused = postRefusal(siteRecord, room, role) ?? (await muteRefusal(ctx));
    if (refused) return refused;
    return services.media.ticket(siteRecord, user.id, room);
  });
}

/** After a deletion or an erase: the images no message keeps go now rather than at the next periodic sweep. */
export function sweepMedia({ socket, services, logger }: HandlerContext): void {
  services.media.sweepSoon(socket.data.site.id, (err: unknown) => logger.error('media sweep failed', { err }));
}
