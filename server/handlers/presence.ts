/** `presence:list`: a page of a joined room's members, for rooms whose updates list nobody (any room may ask). */
import { ErrorCode } from '../../protocol/index.js';
import { fail, ok } from '../result.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

export function listPresence({ socket, services, logger }: HandlerContext) {
  return acked('presence:list', logger, async (request) => {
    const { site, rooms } = socket.data;
    if (!rooms.has(request.room)) return fail(ErrorCode.NotInRoom, 'join the room before listing its members');
    return ok(await services.presence.list(site.id, request));
  });
}
