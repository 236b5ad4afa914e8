/** `user:rename`: a new nickname for every tab of the user, announced in every room they are in. */
import { userChannel } from '../channels.js';
import type { UserId } from '../../protocol/index.js';
import { ok } from '../result.js';
import type { Renamed } from '../services/users.js';
import type { HandlerContext } from './context.js';
import { acked } from './respond.js';

export function renameUser(ctx: HandlerContext) {
  return acked('user:rename', ctx.logger, async ({ name }) => {
    const { site, user, stored } = ctx.socket.data;
    const renamed = await ctx.services.users.rename(site.id, { user, stored }, name);
    if (!renamed.ok) return renamed;
    markStored(ctx, user.id);
    await announceRename(ctx, renamed.data);
    return ok({ user: renamed.data.user });
  });
}

/** The user is stored now (a rename or first post stores a guest): so are all their sockets here. */
export function markStored({ nsp, socket }: HandlerContext, id: UserId): void {
  for (const tabId of nsp.adapter.rooms.get(userChannel(id)) ?? []) {
    const tab = nsp.sockets.get(tabId);
    if (tab) tab.data.stored = true;
  }
  if (socket.data.user.id === id) socket.data.stored = true;
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
  if (socket.data.user.id === user.id) socket.data.user = user;
  nsp.to(channel).emit('user:updated', user);
  await services.presence.renamed(socket.data.site.id, user, previousName);
}
