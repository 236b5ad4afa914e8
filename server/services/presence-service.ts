/**
 * Room presence with a grace period: a user is announced as joined when their
 * first socket enters a room, and as gone only when no socket of theirs has
 * come back within `graceMs`, so a reconnect or a reload shows nothing.
 */
import { PRESENCE_LIST_MAX } from '../../protocol/index.js';
import type { PresenceUpdate, UserId, UserInfo } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import type { Logger } from '../logger.js';
import type { PresenceStore } from '../presence/presence.js';
import type { NamespaceOf } from '../socket-types.js';

/** How often a cluster store is asked for members of dead nodes. */
const REAP_INTERVAL_MS = 2000;

/**
 * A rename is announced at once; further renames of that user within this
 * window reach the rooms as one notice at its end (the name announced before
 * → the latest), so a burst of renames cannot flood a room.
 */
export const RENAME_WINDOW_MS = 1000;

interface RenameWindow {
  /** The name the rooms were last told. */
  announced: string;
  /** The newest profile, when renamed again within the window. */
  latest?: UserInfo;
  timer: NodeJS.Timeout;
}

export class PresenceService {
  private readonly pendingLeaves = new Map<string, NodeJS.Timeout>();
  /** `site\0userId` → the user's open rename window. */
  private readonly renameWindows = new Map<string, RenameWindow>();
  private readonly reaper: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: PresenceStore,
    private readonly namespaceOf: NamespaceOf,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {
    if (store.reapDeadNodes) {
      this.reaper = setInterval(() => void this.reap(), REAP_INTERVAL_MS);
      this.reaper.unref();
    }
  }

  /** A socket of `user` entered the room; announces the user unless they were still listed. */
  async enter(site: string, room: string, user: UserInfo, socketId: string): Promise<PresenceUpdate> {
    this.cancelLeave(site, room, user.id);
    const { wasMember } = await this.store.addSocket(site, room, user, socketId);
    const presence = await this.presence(site, room);
    if (!wasMember) {
      const to = this.namespaceOf(site).to(roomChannel(room));
      to.emit('room:notice', { room, kind: 'join', user, at: Date.now() });
      to.emit('presence:update', presence);
    }
    return presence;
  }

  /** A socket left the room; the user is removed after the grace period if none of their sockets is back. */
  async exit(site: string, room: string, userId: UserId, socketId: string): Promise<void> {
    const { remaining } = await this.store.removeSocket(site, room, userId, socketId);
    if (remaining > 0 || this.closed) return;
    const key = leaveKey(site, room, userId);
    clearTimeout(this.pendingLeaves.get(key));
    const timer = setTimeout(() => {
      this.pendingLeaves.delete(key);
      this.completeLeave(site, room, userId).catch((err: unknown) =>
        this.logger.error('presence leave failed', { site, room, userId, err }),
      );
    }, this.graceMs);
    timer.unref();
    this.pendingLeaves.set(key, timer);
  }

  /** The user's name changed: tell every room they are in, at once or at the end of their rename window. */
  async renamed(site: string, user: UserInfo, previousName: string): Promise<void> {
    if (this.closed) return;
    const key = `${site}\0${user.id}`;
    const window = this.renameWindows.get(key);
    if (window) {
      window.latest = user;
      return;
    }
    this.openRenameWindow(site, key, user.name);
    await this.announceRename(site, user, previousName);
  }

  /** The user was erased: gone from every room at once, with a presence update but no leave notice (it would name them). */
  async forget(site: string, userId: UserId): Promise<void> {
    for (const room of await this.store.forget(site, userId)) {
      this.cancelLeave(site, room, userId);
      this.namespaceOf(site).to(roomChannel(room)).emit('presence:update', await this.presence(site, room));
    }
  }

  async presence(site: string, room: string): Promise<PresenceUpdate> {
    return { room, ...(await this.store.snapshot(site, room, PRESENCE_LIST_MAX)) };
  }

  /** The site's rooms that have members, with their counts. */
  rooms(site: string): Promise<Array<{ room: string; count: number }>> {
    return this.store.rooms(site);
  }

  /** Drops pending leaves: nothing is announced after shutdown. */
  close(): void {
    this.closed = true;
    clearInterval(this.reaper);
    for (const timer of this.pendingLeaves.values()) clearTimeout(timer);
    this.pendingLeaves.clear();
    for (const { timer } of this.renameWindows.values()) clearTimeout(timer);
    this.renameWindows.clear();
  }

  /** Members whose node died left without a disconnect: announce them gone (their grace is long over). */
  private async reap(): Promise<void> {
    try {
      for (const { site, room, userId } of (await this.store.reapDeadNodes?.()) ?? []) await this.completeLeave(site, room, userId);
    } catch (err) {
      this.logger.error('reaping dead nodes failed', { err });
    }
  }

  private openRenameWindow(site: string, key: string, announced: string): void {
    const timer = setTimeout(() => this.closeRenameWindow(site, key), RENAME_WINDOW_MS);
    timer.unref();
    this.renameWindows.set(key, { announced, timer });
  }

  private closeRenameWindow(site: string, key: string): void {
    const window = this.renameWindows.get(key);
    this.renameWindows.delete(key);
    const latest = window?.latest;
    if (!window || !latest || latest.name === window.announced) return;
    // A burst that goes on keeps to one notice per window.
    this.openRenameWindow(site, key, latest.name);
    this.announceRename(site, latest, window.announced).catch((err: unknown) =>
      this.logger.error('announcing rename failed', { site, userId: latest.id, err }),
    );
  }

  private async announceRename(site: string, user: UserInfo, previousName: string): Promise<void> {
    const rooms = await this.store.updateUser(site, user);
    for (const room of rooms) {
      const to = this.namespaceOf(site).to(roomChannel(room));
      to.emit('room:notice', { room, kind: 'rename', user, previousName, at: Date.now() });
      to.emit('presence:update', await this.presence(site, room));
    }
  }

  private cancelLeave(site: string, room: string, userId: UserId): void {
    const key = leaveKey(site, room, userId);
    clearTimeout(this.pendingLeaves.get(key));
    this.pendingLeaves.delete(key);
  }

  private async completeLeave(site: string, room: string, userId: UserId): Promise<void> {
    const user = await this.store.removeIfIdle(site, room, userId);
    if (!user) return;
    const to = this.namespaceOf(site).to(roomChannel(room));
    to.emit('room:notice', { room, kind: 'leave', user, at: Date.now() });
    to.emit('presence:update', await this.presence(site, room));
  }
}

function leaveKey(site: string, room: string, userId: UserId): string {
  return `${site}\0${room}\0${userId}`;
}
