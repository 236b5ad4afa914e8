/**
 * Room presence with a grace period: a user joins when their first socket
 * enters a room, and leaves only when no socket of theirs has come back
 * within `graceMs`, so a reconnect or a reload shows nothing.
 *
 * Changes are announced coalesced: the store records each one for its room,
 * and at most one `presence:update` per room per `PRESENCE_WINDOW_MS`,
 * cluster-wide, carries all of them (see presence/coalescer.ts). Rooms of at
 * most the big-room size get their member list in it and their joins and
 * leaves by name (when few); bigger rooms get counts, and pages of members
 * from `presence:list`.
 */
import { BIG_ROOM_PRESENCE_WINDOW_MS, PRESENCE_LIST_MAX, PRESENCE_NAMED_CHANGES_MAX, PRESENCE_PAGE_SIZE, PRESENCE_WINDOW_MS } from '../../protocol/index.js';
import type { ListedPresence, PresenceListRequest, PresencePage, UserId, UserInfo } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import type { Logger } from '../logger.js';
import { Coalescer } from '../presence/coalescer.js';
import type { FlushGate } from '../presence/coalescer.js';
import { decodeCursor, encodeCursor, foldName } from '../presence/member-order.js';
import type { PresenceStore } from '../presence/presence.js';
import type { NamespaceOf } from '../socket-types.js';

/**
 * Each member of a room adds this much to the wait before its next update
 * (from `PRESENCE_WINDOW_MS` up to `BIG_ROOM_PRESENCE_WINDOW_MS`, reached at
 * 100 members): every update is a frame to every member, so a room's updates
 * cost its members at most about 100 frames a second however it fills.
 */
const WINDOW_MS_PER_MEMBER = 10;

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

export interface PresenceServiceOptions {
  store: PresenceStore;
  /** The slots that keep updates of a room to one per window, cluster-wide. */
  gate: FlushGate;
  namespaceOf: NamespaceOf;
  graceMs: number;
  /** Rooms of at most this many members are listed and named; at most `PRESENCE_LIST_MAX`. */
  bigRoomSize: number;
  logger: Logger;
}

export class PresenceService {
  private readonly pendingLeaves = new Map<string, NodeJS.Timeout>();
  /** `site\0userId` → the user's open rename window. */
  private readonly renameWindows = new Map<string, RenameWindow>();
  private readonly updates: Coalescer;
  private readonly reaper: NodeJS.Timeout | undefined;
  private readonly store: PresenceStore;
  private readonly namespaceOf: NamespaceOf;
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: PresenceServiceOptions) {
    this.store = options.store;
    this.namespaceOf = options.namespaceOf;
    this.logger = options.logger;
    this.updates = new Coalescer(
      'presence',
      options.gate,
      PRESENCE_WINDOW_MS,
      (site, room) => this.flush(site, room),
      options.logger,
      (site, room) => this.store.hasChanges(site, room),
    );
    if (this.store.reapDeadNodes) {
      this.reaper = setInterval(() => void this.reap(), REAP_INTERVAL_MS);
      this.reaper.unref();
    }
  }

  /** A socket of `user` entered the room; a user not listed yet joins (announced with the window's update). Answers the room's presence. */
  async enter(site: string, room: string, user: UserInfo, socketId: string): Promise<ListedPresence> {
    this.cancelLeave(site, room, user.id);
    const { changed } = await this.store.addSocket(site, room, user, socketId);
    if (changed) this.updates.touch(site, room);
    return this.presence(site, room);
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
    }, this.options.graceMs);
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

  /** The user was erased: gone from every room at once, in an update that does not name them. */
  async forget(site: string, userId: UserId): Promise<void> {
    for (const room of await this.store.forget(site, userId)) {
      this.cancelLeave(site, room, userId);
      this.updates.touch(site, room);
    }
  }

  /** Count and version, and the members when the room is at most the big-room size: bounded whatever the room's size. */
  async presence(site: string, room: string): Promise<ListedPresence> {
    return { room, ...(await this.store.snapshot(site, room, this.options.bigRoomSize)) };
  }

  /** For the admin API: count and version, and the first `PRESENCE_LIST_MAX` members in list order whatever the big-room size. */
  async overview(site: string, room: string): Promise<ListedPresence> {
    const { count, version } = await this.store.snapshot(site, room, 0);
    const { members } = await this.store.page(site, room, { prefix: '', limit: PRESENCE_LIST_MAX });
    return { room, count, members, version };
  }

  /** Whether the room has more members than the big-room size. */
  async isBig(site: string, room: string): Promise<boolean> {
    return (await this.store.count(site, room)) > this.options.bigRoomSize;
  }

  /** A page of the room's members (`presence:list`). */
  async list(site: string, { room, query = '', after, limit = PRESENCE_PAGE_SIZE }: PresenceListRequest): Promise<PresencePage> {
    const prefix = foldName(query);
    const page = await this.store.page(site, room, { prefix, limit, ...(after ? { after: decodeCursor(after) } : {}) });
    return { room, count: page.count, members: page.members, ...(page.last === undefined ? {} : { next: encodeCursor(page.last) }) };
  }

  /** The site's rooms that have members, with their counts. */
  rooms(site: string): Promise<Array<{ room: string; count: number }>> {
    return this.store.rooms(site);
  }

  /** Drops pending leaves and updates: nothing is announced after shutdown. */
  close(): void {
    this.closed = true;
    clearInterval(this.reaper);
    this.updates.close();
    for (const timer of this.pendingLeaves.values()) clearTimeout(timer);
    this.pendingLeaves.clear();
    for (const { timer } of this.renameWindows.values()) clearTimeout(timer);
    this.renameWindows.clear();
  }

  /** Sends the room's changes not yet announced, if another node has not already; a bigger room's next update waits longer. */
  private async flush(site: string, room: string): Promise<number | void> {
    const changes = await this.store.takeChanges(site, room, { listMax: this.options.bigRoomSize, namedMax: PRESENCE_NAMED_CHANGES_MAX });
    if (!changes || this.closed) return;
    this.namespaceOf(site).to(roomChannel(room)).emit('presence:update', { room, ...changes });
    if (changes.count > this.options.bigRoomSize) return BIG_ROOM_PRESENCE_WINDOW_MS;
    return Math.min(BIG_ROOM_PRESENCE_WINDOW_MS, changes.count * WINDOW_MS_PER_MEMBER);
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

  /** Small rooms see a notice and the new name in their member list; big rooms, which list nobody, only a new version. */
  private async announceRename(site: string, user: UserInfo, previousName: string): Promise<void> {
    for (const { room, count } of await this.store.updateUser(site, user)) {
      if (count <= this.options.bigRoomSize) {
        this.namespaceOf(site).to(roomChannel(room)).emit('room:notice', { room, kind: 'rename', user, previousName, at: Date.now() });
      }
      this.updates.touch(site, room);
    }
  }

  private cancelLeave(site: string, room: string, userId: UserId): void {
    const key = leaveKey(site, room, userId);
    clearTimeout(this.pendingLeaves.get(key));
    this.pendingLeaves.delete(key);
  }

  private async completeLeave(site: string, room: string, userId: UserId): Promise<void> {
    if (await this.store.removeIfIdle(site, room, userId)) this.updates.touch(site, room);
  }
}

function leaveKey(site: string, room: string, userId: UserId): string {
  return `${site}\0${room}\0${userId}`;
}
