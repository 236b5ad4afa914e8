/** Typing of big rooms kept in this process's memory: right for a single server. */
import type { UserId, UserInfo } from '../../protocol/index.js';
import type { TypingStore, TypingTake } from './typing-store.js';

interface RoomTyping {
  typists: Map<UserId, { user: UserInfo; expiresAt: number }>;
  changed: boolean;
  /** The count of the last summary. */
  sent: number;
}

export class MemoryTyping implements TypingStore {
  private readonly roomsByKey = new Map<string, RoomTyping>();

  async set(site: string, room: string, user: UserInfo, expiresAt: number | undefined): Promise<boolean> {
    const key = `${site}\0${room}`;
    let state = this.roomsByKey.get(key);
    if (expiresAt === undefined) {
      if (!state?.typists.delete(user.id)) return false;
      state.changed = true;
      return true;
    }
    if (!state) this.roomsByKey.set(key, (state = { typists: new Map(), changed: false, sent: 0 }));
    const isNew = !state.typists.has(user.id);
    // Re-inserted: the map's order is the order of last typing.
    state.typists.delete(user.id);
    state.typists.set(user.id, { user, expiresAt });
    if (isNew) state.changed = true;
    return isNew;
  }

  async take(site: string, room: string, now: number, namedMax: number): Promise<TypingTake> {
    const key = `${site}\0${room}`;
    const state = this.roomsByKey.get(key);
    if (!state) return { due: false, count: 0, users: [] };
    let nextExpiry: number | undefined;
    for (const [id, { expiresAt }] of state.typists) {
      if (expiresAt <= now) state.typists.delete(id);
      else nextExpiry = Math.min(nextExpiry ?? Infinity, expiresAt);
    }
    const count = state.typists.size;
    const due = state.changed || count !== state.sent;
    state.changed = false;
    state.sent = count;
    // Nothing left to tell or to expire: the room keeps no state.
    if (count === 0) this.roomsByKey.delete(key);
    const users = [...state.typists.values()].slice(-namedMax).reverse().map((t) => t.user);
    return { due, count, users, ...(nextExpiry === undefined ? {} : { nextExpiry }) };
  }
}
