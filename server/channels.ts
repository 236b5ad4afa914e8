/**
 * Socket.IO room names used inside a site namespace, built only here. The
 * namespace already scopes them to one site, so they carry no site id.
 */
import type { UserId } from '../protocol/index.js';

/** Every socket that joined the chat room `room`. */
export function roomChannel(room: string): string {
  return `room:${room}`;
}

/** Every socket (tab) of one user: direct messages and `user:updated` go here. */
export function userChannel(userId: UserId): string {
  return `user:${userId}`;
}

