/**
 * The presence seam: who is in which room, counted per user across all their
 * sockets. A member whose last socket left stays listed until the presence
 * service removes them after the grace period. The in-process store is the
 * default; a cluster-wide (Redis) store implements the same interface.
 */
import type { UserId, UserInfo } from '../../protocol/index.js';

export interface PresenceSnapshot {
  /** Number of distinct members. */
  count: number;
  /** Members sorted by name, at most the limit asked for. */
  members: UserInfo[];
  /** Bumped by every change of the room's members (see `PresenceUpdate.version`). */
  version: number;
}

/** A member whose last socket in a room was on a node that died. */
export interface DepartedMember {
  site: string;
  room: string;
  userId: UserId;
}

export interface PresenceStore {
  /** Records a socket of `user` in the room. `wasMember` is true when the user was already listed (another socket, or within the grace period). */
  addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean }>;
  /** Forgets a socket; answers how many sockets of that user remain in the room. */
  removeSocket(site: string, room: string, userId: UserId, socketId: string): Promise<{ remaining: number }>;
  /** Removes the member if no socket of theirs remains; answers the removed member. */
  removeIfIdle(site: string, room: string, userId: UserId): Promise<UserInfo | undefined>;
  /** Replaces the stored profile of a user; answers the rooms they are a member of. */
  updateUser(site: string, user: UserInfo): Promise<string[]>;
  /** Removes the user from every room of the site, sockets or not (an erase); answers the rooms they were in. */
  forget(site: string, userId: UserId): Promise<string[]>;
  snapshot(site: string, room: string, limit: number): Promise<PresenceSnapshot>;
  /** Every room of the site with at least one member, with its member count. */
  rooms(site: string): Promise<Array<{ room: string; count: number }>>;
  /** Cluster stores: forgets the sockets of dead nodes and answers the members who have none left in a room. */
  reapDeadNodes?(): Promise<DepartedMember[]>;
}

/**
 * Where the version of a room starts when it gets its first member. An empty
 * room is forgotten, so it starts again later: above the versions it had
 * before (up to a thousand changes a millisecond), since a client keeps the
 * highest version it saw.
 */
export function firstVersion(): number {
  return Date.now() * 1000;
}
