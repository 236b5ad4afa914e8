/** Presence kept in this process's memory: right for a single server. */
import type { UserId, UserInfo } from '../../protocol/index.js';
import { firstVersion } from './presence.js';
import type { PresenceSnapshot, PresenceStore } from './presence.js';

interface Member {
  user: UserInfo;
  sockets: Set<string>;
}

export class MemoryPresence implements PresenceStore {
  /** `site\0room` → user id → member. */
  private readonly members = new Map<string, Map<UserId, Member>>();
  /** `site\0room` → how many times its members changed. */
  private readonly versions = new Map<string, number>();

  /** Rooms with state kept (members or a version). */
  get size(): number {
    return new Set([...this.members.keys(), ...this.versions.keys()]).size;
  }

  async addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean }> {
    const key = roomKey(site, room);
    let members = this.members.get(key);
    if (!members) this.members.set(key, (members = new Map()));
    const member = members.get(user.id);
    this.bump(key);
    if (member) {
      member.sockets.add(socketId);
      member.user = user;
      return { wasMember: true };
    }
    members.set(user.id, { user, sockets: new Set([socketId]) });
    return { wasMember: false };
  }

  async removeSocket(site: string, room: string, userId: UserId, socketId: string): Promise<{ remaining: number }> {
    const member = this.members.get(roomKey(site, room))?.get(userId);
    if (!member) return { remaining: 0 };
    member.sockets.delete(socketId);
    return { remaining: member.sockets.size };
  }

  async removeIfIdle(site: string, room: string, userId: UserId): Promise<UserInfo | undefined> {
    const key = roomKey(site, room);
    const members = this.members.get(key);
    const member = members?.get(userId);
    if (!members || !member || member.sockets.size > 0) return undefined;
    members.delete(userId);
    this.bump(key);
    if (members.size === 0) {
      // An empty room keeps nothing: a stranger can name any number of rooms.
      this.members.delete(key);
      this.versions.delete(key);
    }
    return member.user;
  }

  async updateUser(site: string, user: UserInfo): Promise<string[]> {
    const prefix = roomKey(site, '');
    const rooms: string[] = [];
    for (const [key, members] of this.members) {
      const member = key.startsWith(prefix) ? members.get(user.id) : undefined;
      if (!member) continue;
      member.user = user;
      this.bump(key);
      rooms.push(key.slice(prefix.length));
    }
    return rooms;
  }

  async forget(site: string, userId: UserId): Promise<string[]> {
    const prefix = roomKey(site, '');
    const rooms: string[] = [];
    for (const [key, members] of this.members) {
      if (!key.startsWith(prefix) || !members.delete(userId)) continue;
      this.bump(key);
      if (members.size === 0) this.members.delete(key);
      rooms.push(key.slice(prefix.length));
    }
    return rooms;
  }

  async snapshot(site: string, room: string, limit: number): Promise<PresenceSnapshot> {
    const key = roomKey(site, room);
    const members = [...(this.members.get(key)?.values() ?? [])].map((m) => m.user);
    members.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { count: members.length, members: members.slice(0, limit), version: this.versions.get(key) ?? 0 };
  }

  async rooms(site: string): Promise<Array<{ room: string; count: number }>> {
    const prefix = roomKey(site, '');
    const rooms: Array<{ room: string; count: number }> = [];
    for (const [key, members] of this.members) {
      if (key.startsWith(prefix) && members.size > 0) rooms.push({ room: key.slice(prefix.length), count: members.size });
    }
    return rooms.sort((a, b) => a.room.localeCompare(b.room));
  }

  private bump(key: string): void {
    this.versions.set(key, (this.versions.get(key) ?? firstVersion()) + 1);
  }
}

function roomKey(site: string, room: string): string {
  return `${site}\0${room}`;
}
