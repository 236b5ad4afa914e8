/** Presence kept in this process's memory: right for a single server. */
import type { UserId, UserInfo } from '../../protocol/index.js';
import type { PresenceSnapshot, PresenceStore } from './presence.js';

interface Member {
  user: UserInfo;
  sockets: Set<string>;
}

export class MemoryPresence implements PresenceStore {
  /** `site\0room` → user id → member. */
  private readonly rooms = new Map<string, Map<UserId, Member>>();

  async addSocket(site: string, room: string, user: UserInfo, socketId: string): Promise<{ wasMember: boolean }> {
    const key = roomKey(site, room);
    let members = this.rooms.get(key);
    if (!members) this.rooms.set(key, (members = new Map()));
    const member = members.get(user.id);
    if (member) {
      member.sockets.add(socketId);
      member.user = user;
      return { wasMember: true };
    }
    members.set(user.id, { user, sockets: new Set([socketId]) });
    return { wasMember: false };
  }

  async removeSocket(site: string, room: string, userId: UserId, socketId: string): Promise<{ remaining: number }> {
    const member = this.rooms.get(roomKey(site, room))?.get(userId);
    if (!member) return { remaining: 0 };
    member.sockets.delete(socketId);
    return { remaining: member.sockets.size };
  }

  async removeIfIdle(site: string, room: string, userId: UserId): Promise<UserInfo | undefined> {
    const key = roomKey(site, room);
    const members = this.rooms.get(key);
    const member = members?.get(userId);
    if (!members || !member || member.sockets.size > 0) return undefined;
    members.delete(userId);
    if (members.size === 0) this.rooms.delete(key);
    return member.user;
  }

  async updateUser(site: string, user: UserInfo): Promise<string[]> {
    const prefix = roomKey(site, '');
    const rooms: string[] = [];
    for (const [key, members] of this.rooms) {
      const member = key.startsWith(prefix) ? members.get(user.id) : undefined;
      if (!member) continue;
      member.user = user;
      rooms.push(key.slice(prefix.length));
    }
    return rooms;
  }

  async snapshot(site: string, room: string, limit: number): Promise<PresenceSnapshot> {
    const members = [...(this.rooms.get(roomKey(site, room))?.values() ?? [])].map((m) => m.user);
    members.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { count: members.length, members: members.slice(0, limit) };
  }
}

function roomKey(site: string, room: string): string {
  return `${site}\0${room}`;
}
