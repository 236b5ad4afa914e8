/**
 * Guests who have not posted exist only on their sockets: these helpers store
 * one when it first posts, and find users who are online but not stored.
 */
import type { UserId, UserInfo } from '../../protocol/index.js';
import type { GuestLanguage } from '../identity.js';
import { userChannel } from '../channels.js';
import type { HandlerContext } from './context.js';
import { announceRename, markStored } from './user.js';

/** The socket's user, stored first if it was not (a room or direct message is about to name it). */
export async function storedSender(ctx: HandlerContext): Promise<UserInfo> {
  const { socket } = ctx;
  if (!socket.data.stored) await adopt(ctx, socket.data.user, socket.data.lang);
  return socket.data.user;
}

/** A user of the site: stored, or a guest online on some node that has not posted yet. */
export async function findUser(
  { nsp, socket, services }: HandlerContext,
  id: UserId,
): Promise<{ user: UserInfo; stored: boolean; lang?: GuestLanguage } | undefined> {
  const stored = await services.users.get(socket.data.site.id, id);
  if (stored) return { user: stored, stored: true };
  const [online] = await nsp.in(userChannel(id)).fetchSockets();
  return online && { user: online.data.user, stored: false, lang: online.data.lang };
}

/**
 * Stores `user` (a guest not yet stored) and updates its sockets on this node;
 * when its name had to change (taken meanwhile), its tabs and rooms are told.
 */
export async function adopt(ctx: HandlerContext, user: UserInfo, lang: GuestLanguage): Promise<UserInfo> {
  const stored = await ctx.services.users.storeGuest(ctx.socket.data.site.id, user, lang);
  markStored(ctx, user.id);
  await announceRename(ctx, { user: stored, previousName: user.name });
  return stored;
}
