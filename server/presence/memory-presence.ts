/** Presence kept in this process's memory: right for a single server. */
import type { UserId, UserInfo } from '../../protocol/index.js';
import { MemberIndex } from './member-index.js';
import { sortKey } from './member-order.js';
import type { MemberPage, MemberQuery } from './member-order.js';
import { announced, delta, firstVersion, isDelta } from './presence.js';
import type { ListingLimits, PresenceChangeSet, PresenceSnapshot, PresenceStore } from './presence.js';

interface Member {
  user: UserInfo;
  key: string;
  sockets: Set<string>;
}

interface Room {
  members: Map<UserId, Member>;
  index: MemberIndex;
  version: number;
  /** The version of the room's last update, while that update listed the room: the next delta's base. */
  announced?: number;
}

/**
 * A room's changes since its last update, each user in at most one map: a
 * join and a leave of one user within it cancel out (a leave and a join
 * leave them `updated`; a join and a leave, `unnamed`).
 */
interface Pending {
  joined: Map<UserId, UserInfo>;
  left: Map<UserId, UserInfo>;
  updated: Map<UserId, UserInfo>;
  /** Something a delta cannot name happened (an erase, a join and leave within the window). */
  unnamed: boolean;
}

export class MemoryPresence implements PresenceStore {
  /** `site\0room` → its members. */
  private readonly roomsByKey = new Map<string, Room>();
  /** `site\0room` → changes not yet taken. */
  private readonly pending = new Map<string, Pending>();

  /** Rooms with state kept (members and a version). */
  get size(): number {
    return this.roomsByKey.size;
  }

  async addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean; changed: boolean }> {
    const key = roomKey(site, room);
    let state = this.roomsByKey.get(key);
    if (!state) this.roomsByKey.set(key, (state = { members: new Map(), index: new MemberIndex(), version: firstVersion() }));
    state.version++;
    const member = state.members.get(user.id);
    if (member) {
      member.sockets.add(socketId);
      const changed = JSON.stringify(member.user) !== JSON.stringify(user);
      if (changed) this.profileChanged(key, user);
      this.setProfile(state, member, user);
      return { wasMember: true, changed };
    }
    const added = { user, key: sortKey(user), sockets: new Set([socketId]) };
    state.members.set(user.id, added);
    state.index.set(added.key, user);
    const changes = this.changesOf(key);
    if (changes.left.delete(user.id)) changes.updated.set(user.id, user);
    else changes.joined.set(user.id, user);
    return { wasMember: false, changed: true };
  }

  async removeSocket(site: string, room: string, userId: UserId, socketId: string): Promise<{ remaining: number }> {
    const member = this.roomsByKey.get(roomKey(site, room))?.members.get(userId);
    if (!member) return { remaining: 0 };
    member.sockets.delete(socketId);
    return { remaining: member.sockets.size };
  }

  async removeIfIdle(site: string, room: string, userId: UserId): Promise<UserInfo | undefined> {
    const key = roomKey(site, room);
    const state = this.roomsByKey.get(key);
    const member = state?.members.get(userId);
    if (!state || !member || member.sockets.size > 0) return undefined;
    this.remove(key, state, member);
    const changes = this.changesOf(key);
    if (changes.joined.delete(userId)) changes.unnamed = true;
    else {
      changes.updated.delete(userId);
      changes.left.set(userId, member.user);
    }
    return member.user;
  }

  async updateUser(site: string, user: UserInfo): Promise<Array<{ room: string; count: number }>> {
    const rooms: Array<{ room: string; count: number }> = [];
    for (const [key, room, state] of this.siteRooms(site)) {
      const member = state.members.get(user.id);
      if (!member) continue;
      this.setProfile(state, member, user);
      state.version++;
      this.profileChanged(key, user);
      rooms.push({ room, count: state.members.size });
    }
    return rooms;
  }

  async forget(site: string, userId: UserId): Promise<string[]> {
    const rooms: string[] = [];
    for (const [key, room, state] of this.siteRooms(site)) {
      const member = state.members.get(userId);
      if (!member) continue;
      this.remove(key, state, member);
      const changes = this.changesOf(key);
      changes.joined.delete(userId);
      changes.left.delete(userId);
      changes.updated.delete(userId);
      changes.unnamed = true;
      rooms.push(room);
    }
    return rooms;
  }

  async snapshot(site: string, room: string, listMax: number): Promise<PresenceSnapshot> {
    const state = this.roomsByKey.get(roomKey(site, room));
    if (!state) return { count: 0, members: [], version: 0 };
    const count = state.members.size;
    return { count, members: count <= listMax ? state.index.all() : [], version: state.version };
  }

  async count(site: string, room: string): Promise<number> {
    return this.roomsByKey.get(roomKey(site, room))?.members.size ?? 0;
  }

  async hasChanges(site: string, room: string): Promise<boolean> {
    return this.pending.has(roomKey(site, room));
  }

  async takeChanges(site: string, room: string, { listMax, namedMax }: ListingLimits): Promise<PresenceChangeSet | undefined> {
    const key = roomKey(site, room);
    const changes = this.pending.get(key);
    if (!changes) return undefined;
    this.pending.delete(key);
    const state = this.roomsByKey.get(key);
    const count = state?.members.size ?? 0;
    const listed = count <= listMax;
    const { joined, left, updated, unnamed } = changes;
    const base = state?.announced;
    if (state) state.announced = listed ? state.version : undefined;
    if (isDelta(base, count, { joins: joined.size, leaves: left.size, updates: updated.size, unnamed }, { listMax, namedMax })) {
      return delta(count, state!.version, base!, [...joined.values()], [...left.values()], [...updated.values()]);
    }
    const snapshot = await this.snapshot(site, room, listMax);
    const change = (users: Map<UserId, UserInfo>) => announced([...users.values()], users.size, listed, namedMax);
    return { ...snapshot, joined: change(joined), left: change(left) };
  }

  async page(site: string, room: string, query: MemberQuery): Promise<MemberPage> {
    const state = this.roomsByKey.get(roomKey(site, room));
    if (!state) return { count: 0, members: [] };
    return { count: state.members.size, ...state.index.page(query) };
  }

  async rooms(site: string): Promise<Array<{ room: string; count: number }>> {
    const rooms: Array<{ room: string; count: number }> = [];
    for (const [, room, state] of this.siteRooms(site)) rooms.push({ room, count: state.members.size });
    return rooms.sort((a, b) => a.room.localeCompare(b.room));
  }

  private *siteRooms(site: string): Generator<[key: string, room: string, state: Room]> {
    const prefix = roomKey(site, '');
    for (const [key, state] of this.roomsByKey) if (key.startsWith(prefix)) yield [key, key.slice(prefix.length), state];
  }

  private setProfile(state: Room, member: Member, user: UserInfo): void {
    const key = sortKey(user);
    if (key !== member.key) state.index.delete(member.key);
    member.user = user;
    member.key = key;
    state.index.set(key, user);
  }

  /** A member's profile changed: a pending join carries the new one, else it is an update of a listed member. */
  private profileChanged(key: string, user: UserInfo): void {
    const changes = this.changesOf(key);
    (changes.joined.has(user.id) ? changes.joined : changes.updated).set(user.id, user);
  }

  private remove(key: string, state: Room, member: Member): void {
    state.members.delete(member.user.id);
    state.index.delete(member.key);
    state.version++;
    // An empty room keeps nothing (its pending changes go with the next update): a stranger can name any number of rooms.
    if (state.members.size === 0) this.roomsByKey.delete(key);
  }

  /** The room's pending changes; changes of an emptied room wait here until they are taken. */
  private changesOf(key: string): Pending {
    let changes = this.pending.get(key);
    if (!changes) this.pending.set(key, (changes = { joined: new Map(), left: new Map(), updated: new Map(), unnamed: false }));
    return changes;
  }
}

function roomKey(site: string, room: string): string {
  return `${site}\0${room}`;
}
