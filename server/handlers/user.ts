/** `user:rename`: a new nickname for every tab of the user, announced in every room they are in. */
import { userChannel } from '../channels.js';
import { ok } from '../result.js';
import type { Renamed } from '../services/users.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

export function renameUser(ctx: HandlerContext) {
  return acked('user:rename', ctx.logger, async ({ name }) => {
    const renamed = await ctx.services.users.rename(ctx.socket.data.site.id, ctx.socket.data.user, name);
    if (!renamed.ok) return renamed;
    await announceRename(ctx, renamed.data);
    return ok({ user: renamed.data.user });
  });
}

/** Updates the user on all their sockets here, tells their tabs, and the rooms they are in. */
export async function announceRename({ nsp, socket, services }: HandlerContext, renamed: Renamed): Promise<void> {
  const { user, previousName } = renamed;
  if (user.name === previousName) return;
  const channel = userChannel(user.id);
  for (const id of nsp.adapter.rooms.get(channel) ?? []) {
    const tab = nsp.sockets.get(id);
    if (tab) tab.data.user = user;
  }
  socket.data.user = user;
  nsp.to(channel).emit('user:updated', user);
  await services.presence.renamed(socket.data.site.id, user, previousName);
}
