/** Presence kept in this process's memory: right for a single server. */
import type { UserId, UserInfo } from '../../protocol/index.js';
import { MemberIndex } from './member-index.js';
import { sortKey } from './member-order.js';
import type { MemberPage, MemberQuery } from './member-order.js';
import { announced, firstVersion } from './presence.js';
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
}

/** A room's changes since its last update: a join and a leave of one user within it cancel out. */
interface Pending {
  joined: Map<UserId, UserInfo>;
  left: Map<UserId, UserInfo>;
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

  async addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean }> {
    const key = roomKey(site, room);
    let state = this.roomsByKey.get(key);
    if (!state) this.roomsByKey.set(key, (state = { members: new Map(), index: new MemberIndex(), version: firstVersion() }));
    state.version++;
    const member = state.members.get(user.id);
    if (member) {
      member.sockets.add(socketId);
      this.setProfile(state, member, user);
      return { wasMember: true };
    }
    const added = { user, key: sortKey(user), sockets: new Set([socketId]) };
    state.members.set(user.id, added);
    state.index.set(added.key, user);
    const changes = this.changesOf(key);
    if (!changes.left.delete(user.id)) changes.joined.set(user.id, user);
    return { wasMember: false };
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
    if (!changes.joined.delete(userId)) changes.left.set(userId, member.user);
    return member.user;
  }

  async updateUser(site: string, user: UserInfo): Promise<Array<{ room: string; count: number }>> {
    const rooms: Array<{ room: string; count: number }> = [];
    for (const [key, room, state] of this.siteRooms(site)) {
      const member = state.members.get(user.id);
      if (!member) continue;
      this.setProfile(state, member, user);
      state.version++;
      const changes = this.changesOf(key);
      if (changes.joined.has(user.id)) changes.joined.set(user.id, user);
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
    const snapshot = await this.snapshot(site, room, listMax);
    const listed = snapshot.count <= listMax;
    const change = (users: Map<UserId, UserInfo>) => announced([...users.values()], users.size, listed, namedMax);
    return { ...snapshot, joined: change(changes.joined), left: change(changes.left) };
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
    if (!changes) this.pending.set(key, (changes = { joined: new Map(), left: new Map() }));
    return changes;
  }
}

function roomKey(site: string, room: string): string {
  return `${site}\0${room}`;
}
