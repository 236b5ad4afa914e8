/**
 * The presence seam: who is in which room, counted per user across all their
 * sockets. A member whose last socket left stays listed until the presence
 * service removes them after the grace period. The in-process store is the
 * default; a cluster-wide (Redis) store implements the same interface.
 *
 * A store also keeps each room's changes not yet announced (joins, leaves,
 * renames, erases), so that one update carries every change of a window,
 * whichever node made it: `takeChanges` hands them to the one node that
 * announces them and forgets them. A listed room's update is a delta from the
 * version of the room's previous update (its `base`) when every change of the
 * window can be named; the change records and the version move together in
 * one step of the store, so a delta is exact whichever node announces it.
 */
import type { PresenceChanges, UserId, UserInfo } from '../../protocol/index.js';
import type { MemberPage, MemberQuery } from './member-order.js';

export interface PresenceSnapshot {
  /** Number of distinct members. */
  count: number;
  /** Every member in list order when they are at most the limit asked for; none otherwise. */
  members: UserInfo[];
  /** Bumped by every change of the room's members (see `PresenceUpdate.version`). */
  version: number;
}

/**
 * A room's unannounced changes, with the room as it is after them: a delta
 * (`base` set, no `members`: see `PresenceUpdate`) or the whole list.
 */
export interface PresenceChangeSet {
  count: number;
  version: number;
  /** Missing on a delta; empty above the big-room size. */
  members?: UserInfo[];
  base?: number;
  joined: PresenceChanges;
  left: PresenceChanges;
  /** Deltas only, when any: members listed at `base` and still there with a new profile. */
  updated?: UserInfo[];
}

/**
 * A window's changes as a store found them, classified against the room at
 * the previous update: net joins and leaves, members there before and after
 * whose profile changed or who left and came back (`updated`), and whether
 * something happened that a delta cannot name (an erase, a joiner who left
 * again within the window).
 */
export interface WindowChanges {
  joined: UserInfo[];
  left: UserInfo[];
  updated: UserInfo[];
  unnamed: boolean;
}

/** Whether a window's changes go out as a delta: the previous update listed the room (`base`), and every change is named. */
export function isDelta(base: number | undefined, count: number, c: { joins: number; leaves: number; updates: number; unnamed: boolean }, limits: ListingLimits): boolean {
  return base !== undefined && count <= limits.listMax && !c.unnamed && Math.max(c.joins, c.leaves, c.updates) <= limits.namedMax;
}

/** How big a room and a window may be for their members and changes to be named. */
export interface ListingLimits {
  /** The big-room size: members are listed in rooms of at most this many. */
  listMax: number;
  /** Joins (or leaves) are named when the room is listed and they are at most this many. */
  namedMax: number;
}

/** A member whose last socket in a room was on a node that died. */
export interface DepartedMember {
  site: string;
  room: string;
  userId: UserId;
}

export interface PresenceStore {
  /**
   * Records a socket of `user` in the room. `wasMember` is true when the user
   * was already listed (another socket, or within the grace period); when not,
   * the join is recorded as a change of the room, as is a listed member's new
   * profile (`changed`).
   */
  addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean; changed: boolean }>;
  /** Forgets a socket; answers how many sockets of that user remain in the room. */
  removeSocket(site: string, room: string, userId: UserId, socketId: string): Promise<{ remaining: number }>;
  /** Removes the member if no socket of theirs remains, recording the leave; answers the removed member. */
  removeIfIdle(site: string, room: string, userId: UserId): Promise<UserInfo | undefined>;
  /** Replaces the stored profile of a user (a change of each room); answers the rooms they are a member of, with their member counts. */
  updateUser(site: string, user: UserInfo): Promise<Array<{ room: string; count: number }>>;
  /**
   * Removes the user from every room of the site, sockets or not (an erase),
   * as a change that names nobody: a join or leave of theirs not yet announced
   * is dropped. Answers the rooms they were in.
   */
  forget(site: string, userId: UserId): Promise<string[]>;
  /** Count and version, and the members when they are at most `listMax`: bounded whatever the room's size. */
  snapshot(site: string, room: string, listMax: number): Promise<PresenceSnapshot>;
  count(site: string, room: string): Promise<number>;
  /** Whether the room has unannounced changes. */
  hasChanges(site: string, room: string): Promise<boolean>;
  /** Takes the room's unannounced changes (undefined when there are none: another node took them). */
  takeChanges(site: string, room: string, limits: ListingLimits): Promise<PresenceChangeSet | undefined>;
  /** A page of members in list order. */
  page(site: string, room: string, query: MemberQuery): Promise<MemberPage>;
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

/** A delta's fields, the changes named and sorted. */
export function delta(count: number, version: number, base: number, joined: UserInfo[], left: UserInfo[], updated: UserInfo[]): PresenceChangeSet {
  const named = (users: UserInfo[]) => ({ count: users.length, users: [...users].sort(byName) });
  return { count, version, base, joined: named(joined), left: named(left), ...(updated.length ? { updated: [...updated].sort(byName) } : {}) };
}

/** The changes of one window as announced: named only when few, in a listed room. */
export function announced(users: UserInfo[], count: number, listed: boolean, namedMax: number): PresenceChanges {
  const named = listed && count <= namedMax;
  return { count, users: named ? [...users].sort(byName) : [] };
}

function byName(a: UserInfo, b: UserInfo): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}
