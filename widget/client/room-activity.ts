/**
 * A joined room's typing and timeline notices: nothing of it happens before
 * the join, so it is a chunk of its own that `RoomConversation` loads while
 * the connection opens and awaits before every join (not in what an inline
 * room loads before it connects).
 */
import {
  TYPING_THROTTLE_MS,
  TYPING_TIMEOUT_MS,
  type PresenceUpdate,
  type RoomNotice,
  type TypingSummary,
  type UserId,
  type UserInfo,
} from '../../protocol/index.js';
import type { Connection } from './connection.js';

/**
 * A line of the timeline that is not a message: a rename, one named join or
 * leave, or the summary of a presence window ("12 people joined, 3 people
 * left") where the server names nobody (a big room, or many at once).
 * `at` is on the server's clock, as messages' are.
 */
export type Notice =
  | RoomNotice
  | { kind: 'join' | 'leave'; user: UserInfo; at: number }
  | { kind: 'summary'; joined: number; left: number; at: number };

/** A notice as the timeline keeps it: placed among the messages by its time (`notice.at`). */
export interface TimelineNotice {
  id: number;
  notice: Notice;
}

/**
 * Who is typing: `count` in all, `users` by name (a big room's summary names
 * only a few, and may name oneself; a small room's never does).
 */
export type Typing = Pick<TypingSummary, 'count' | 'users'>;

/** What the activity needs of its room's conversation. */
export interface ActivityHost {
  readonly conn: Connection;
  readonly room: string;
  /** A notice was kept (the conversation's `notice` event). */
  noticed(notice: Notice): void;
  /** Something shown changed. */
  changed(): void;
}

/** Notices kept per room (they are not stored by the server). */
const MAX_NOTICES = 200;
let noticeIds = 0;

export class RoomActivity {
  notices: TimelineNotice[] = [];
  readonly #host: ActivityHost;
  readonly #typingUsers = new Map<UserId, { user: UserInfo; timer: ReturnType<typeof setTimeout> }>();
  /** A big room's last typing summary (null: nobody, or a small room). */
  #typingSummary: Typing | null = null;
  #typingSentAt = 0;

  constructor(host: ActivityHost) {
    this.#host = host;
  }

  /** Who is typing right now (in a small room, except oneself). */
  get typing(): Typing {
    const users = [...this.#typingUsers.values()].map((t) => t.user);
    return this.#typingSummary ?? { count: users.length, users };
  }

  /** Tells the room whether the user is typing (throttled; `false` only after a `true`). */
  setTyping(typing: boolean): void {
    const now = Date.now();
    const { conn, room } = this.#host;
    if (typing) {
      if (now - this.#typingSentAt < TYPING_THROTTLE_MS) return;
      this.#typingSentAt = now;
      conn.setTyping({ room, typing: true });
    } else if (this.#typingSentAt) {
      this.#typingSentAt = 0;
      conn.setTyping({ room, typing: false });
    }
  }

  /** A big room's summary of who is typing. */
  summary(t: TypingSummary): void {
    this.#typingSummary = t.count ? t : null;
    this.#host.changed();
  }

  /** A room back under the big-room size relays typing one by one again: no summary stays behind. */
  dropSummary(): void {
    this.#typingSummary = null;
  }

  markTyping(user: UserInfo): void {
    const entry = this.#typingUsers.get(user.id);
    if (entry) clearTimeout(entry.timer);
    const timer = setTimeout(() => this.clearTyping(user.id), TYPING_TIMEOUT_MS);
    this.#typingUsers.set(user.id, { user, timer });
    this.#host.changed();
  }

  clearTyping(id: UserId): void {
    const entry = this.#typingUsers.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#typingUsers.delete(id);
    this.#host.changed();
  }

  /** Nobody is typing any more (the connection dropped). */
  clearAll(): void {
    for (const id of [...this.#typingUsers.keys()]) this.clearTyping(id);
    this.#typingSummary = null;
  }

  /** The conversation stopped: no timer stays behind. */
  stop(): void {
    for (const { timer } of this.#typingUsers.values()) clearTimeout(timer);
    this.#typingUsers.clear();
  }

  /** The member list `members` with a presence delta's joins, updates and leaves applied (sorted by name). */
  merge(p: PresenceUpdate, members: readonly UserInfo[]): UserInfo[] {
    const add = [...p.joined!.users, ...(p.updated ?? [])];
    const ids = [...add, ...p.left!.users].map((u) => u.id);
    const key = (u: UserInfo) => `${u.name.toLowerCase()}\0${u.id}`;
    return [...members.filter((m) => !ids.includes(m.id)), ...add].sort((a, b) => (key(a) < key(b) ? -1 : 1));
  }

  /** A live update's joins and leaves as timeline lines: one per person the server names, one summary line for those it only counts. */
  presenceNotices({ joined, left }: PresenceUpdate, at: number): void {
    const [j, l] = [joined, left].map((changes, leave) => {
      for (const user of changes?.users ?? []) {
        if (leave) this.clearTyping(user.id);
        // The room announces every joining, the visitor's own too: that one is no news to them.
        if (leave || user.id !== this.#host.conn.user?.id) this.notice({ kind: leave ? 'leave' : 'join', user, at });
      }
      return changes?.users.length ? 0 : (changes?.count ?? 0);
    }) as [number, number];
    if (j || l) this.notice({ kind: 'summary', joined: j, left: l, at });
  }

  /** Keeps a notice for the timeline (the latest `MAX_NOTICES`). */
  notice(notice: Notice): void {
    this.notices = [...this.notices.slice(1 - MAX_NOTICES), { id: ++noticeIds, notice }];
    this.#host.noticed(notice);
    this.#host.changed();
  }
}
