/** One joined room: history, live messages, presence, typing and notices. */
import {
  PRESENCE_PAGE_MAX,
  TYPING_THROTTLE_MS,
  TYPING_TIMEOUT_MS,
  type ListedPresence,
  type PresenceUpdate,
  type RoomNotice,
  type TypingSummary,
  type UserId,
  type UserInfo,
} from '../../protocol/index.js';
import type { Channel } from './channel.js';
import { Conversation, type ConversationEvents, type HistoryQuery, type OpenResult } from './conversation.js';
import type { CursorAcks } from './cursor-acks.js';
import { ChatRoomError, type ClientAck, type ClientError } from './errors.js';
import { isTransient } from './outbox.js';

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

export type RoomConversationEvents = ConversationEvents & {
  presence: (presence: ListedPresence) => void;
  notice: (notice: Notice) => void;
};

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

export interface RoomConversationOptions {
  /**
   * Follow the room without being in it (`room:join { quiet: true }`): messages
   * arrive and count as unread, but the user is not in the room's presence and
   * no delivery ack stores a cursor. A launcher before its first opening.
   */
  quiet?: boolean;
}

/** Notices kept per room (they are not stored by the server). */
const MAX_NOTICES = 200;
let noticeIds = 0;

export class RoomConversation extends Conversation<RoomConversationEvents> {
  presence: ListedPresence | null = null;
  /** False while `presence` is only the last picture seen before the connection dropped. */
  presenceLive = false;
  #presenceVersion = 0;
  notices: TimelineNotice[] = [];
  readonly #typingUsers = new Map<UserId, { user: UserInfo; timer: ReturnType<typeof setTimeout> }>();
  /** A big room's last typing summary (null: nobody, or a small room). */
  #typingSummary: Typing | null = null;
  #typingSentAt = 0;
  #retained = false;
  readonly #acks: CursorAcks;
  #quiet: boolean;
  /** The seq received without gaps while quiet: acknowledged once the user enters the room. */
  #heldAck = 0;

  constructor(
    channel: Channel,
    readonly room: string,
    options: RoomConversationOptions = {},
  ) {
    super(channel, { room });
    this.#acks = channel.acks;
    this.#quiet = options.quiet ?? false;
  }

  /** The room is followed without the user being in it (see `RoomConversationOptions.quiet`). */
  get quiet(): boolean {
    return this.#quiet;
  }

  /**
   * `false`: the user enters the room now (a join without `quiet`, so they
   * appear in presence) and delivery acks resume, starting with what arrived
   * while quiet. `true`: acks stop and later (re)joins are quiet; the socket
   * stays in presence until it leaves the room or reconnects.
   */
  async setQuiet(quiet: boolean): Promise<void> {
    if (quiet === this.#quiet) return;
    this.#quiet = quiet;
    // Entering is at once, even while a quiet join is under way (the server takes the two in either order);
    // offline, the next load joins as asked.
    if (quiet) return;
    if (this.#heldAck) this.#acks.received(this.room, this.#heldAck);
    if (!this.#retained || !this.conn.connected) return;
    const ack = await this.conn.request('room:join', { room: this.room });
    if (!this.stopped && !this.#quiet && ack.ok) this.#setPresence(ack.data.presence);
  }

  override start(): void {
    this.#retained = true;
    this.conn.retainRoom(this.room);
    const conn = this.conn;
    this.offs.push(
      conn.on('message', (m) => {
        if (m.room !== this.room) return;
        this.#clearTyping(m.from.id);
        this.live(m);
      }),
      conn.on('presence', (p, at) => {
        if (p.room !== this.room) return;
        // Only news: not what the join's answer (or a newer update) already showed, the visitor's own joining among it.
        if (this.status === 'ready' && p.version > this.#presenceVersion) this.#presenceNotices(p, at);
        this.#setPresence(p);
      }),
      conn.on('notice', (n) => {
        if (n.room === this.room) this.#notice(n);
      }),
      conn.on('typingSummary', (t) => {
        if (t.room !== this.room) return;
        this.#typingSummary = t.count ? t : null;
        this.changed();
      }),
      conn.on('typing', (t) => {
        if (t.room !== this.room || t.user.id === conn.user?.id) return;
        if (t.typing) this.#markTyping(t.user);
        else this.#clearTyping(t.user.id);
      }),
      conn.on('state', (state) => {
        if (state === 'connected') return;
        for (const id of [...this.#typingUsers.keys()]) this.#clearTyping(id);
        this.#typingSummary = null;
        this.#presenceVersion = 0;
        this.presenceLive = false;
      }),
    );
    super.start();
  }

  override stop(): void {
    super.stop();
    for (const { timer } of this.#typingUsers.values()) clearTimeout(timer);
    this.#typingUsers.clear();
    if (this.#retained && this.conn.releaseRoom(this.room)) {
      this.outbox.setRoomReady(this.room, false);
      if (this.conn.connected) void this.conn.request('room:leave', { room: this.room });
    }
    this.#retained = false;
  }

  /** Who is typing right now (in a small room, except oneself). */
  get typing(): Typing {
    const users = [...this.#typingUsers.values()].map((t) => t.user);
    return this.#typingSummary ?? { count: users.length, users };
  }

  /** Tells the room whether the user is typing (throttled; `false` only after a `true`). */
  setTyping(typing: boolean): void {
    const now = Date.now();
    if (typing) {
      if (now - this.#typingSentAt < TYPING_THROTTLE_MS) return;
      this.#typingSentAt = now;
      this.conn.setTyping({ room: this.room, typing: true });
    } else if (this.#typingSentAt) {
      this.#typingSentAt = 0;
      this.conn.setTyping({ room: this.room, typing: false });
    }
  }

  /** Rejects at once with the join's error while the room refuses this user; else queues like any conversation. */
  override send(text: string, replyTo?: string, image?: string) {
    const refusal = this.#refusal();
    if (refusal) return Promise.reject(refusal);
    this.setTyping(false);
    return super.send(text, replyTo, image);
  }

  override retry(clientId: string) {
    const refusal = this.#refusal();
    return refusal ? Promise.reject(refusal) : super.retry(clientId);
  }

  /** The join's error while the room refuses this user (not a passing one such as a timeout). */
  #refusal(): ChatRoomError | null {
    return this.status === 'error' && this.error && !isTransient(this.error) ? new ChatRoomError(this.error) : null;
  }

  protected async open(): Promise<ClientAck<OpenResult>> {
    const ack = await this.conn.request('room:join', this.#quiet ? { room: this.room, quiet: true } : { room: this.room });
    // The answer is an `OpenResult` as it is (its page, the cursor, the unread count and `lastRev`).
    if (ack.ok && !this.stopped) this.#setPresence(ack.data.presence);
    return ack;
  }

  get roomId(): string {
    return this.room;
  }

  protected override setReady(ready: boolean): void {
    if (!this.stopped) this.outbox.setRoomReady(this.room, ready);
  }

  /** A refused join fails the sends waiting for it: they would wait forever. */
  protected override refused(error: ClientError): void {
    if (!isTransient(error)) this.outbox.refuseRoom(this.room, error);
  }

  /** Acknowledged unless quiet: an ack would store a cursor for a user who never entered the room. */
  protected override delivered(seq: number): void {
    if (this.#quiet) this.#heldAck = seq;
    else this.#acks.received(this.room, seq);
  }

  protected fetchHistory(query: HistoryQuery) {
    return this.conn.request('message:history', { room: this.room, ...query });
  }

  /**
   * Several nodes may answer out of order (a join's answer can come after
   * updates it predates): an older picture never replaces a newer one. A new
   * connection starts the count afresh, for a restarted server counts anew.
   */
  #setPresence(p: PresenceUpdate): void {
    if (p.version < this.#presenceVersion) return;
    if (!p.members) {
      // A delta: it changes a list from `base` on; one from before missed an update, and the whole list (one page) is fetched anew.
      if (p.base! > this.#presenceVersion) {
        void this.conn
          .request('presence:list', { room: this.room, limit: PRESENCE_PAGE_MAX })
          .then((page) => page.ok && this.presence && this.#setPresence({ ...this.presence, ...page.data }));
      }
      const add = [...p.joined!.users, ...(p.updated ?? [])];
      const ids = [...add, ...p.left!.users].map((u) => u.id);
      const key = (u: UserInfo) => `${u.name.toLowerCase()}\0${u.id}`;
      p = { ...p, members: [...(this.presence?.members ?? []).filter((m) => !ids.includes(m.id)), ...add].sort((a, b) => (key(a) < key(b) ? -1 : 1)) };
    }
    this.#presenceVersion = p.version;
    // A room back under the big-room size relays typing one by one again: no summary stays behind.
    if (p.members!.length >= p.count) this.#typingSummary = null;
    this.presence = p as ListedPresence;
    this.presenceLive = true;
    this.emit('presence', this.presence);
    this.changed();
  }

  /** A live update's joins and leaves as timeline lines: one per person the server names, one summary line for those it only counts. */
  #presenceNotices({ joined, left }: PresenceUpdate, at: number): void {
    const [j, l] = [joined, left].map((changes, leave) => {
      for (const user of changes?.users ?? []) {
        if (leave) this.#clearTyping(user.id);
        // The room announces every joining, the visitor's own too: that one is no news to them.
        if (leave || user.id !== this.conn.user?.id) this.#notice({ kind: leave ? 'leave' : 'join', user, at });
      }
      return changes?.users.length ? 0 : (changes?.count ?? 0);
    }) as [number, number];
    if (j || l) this.#notice({ kind: 'summary', joined: j, left: l, at });
  }

  /** Keeps a notice for the timeline (the latest `MAX_NOTICES`). */
  #notice(notice: Notice): void {
    this.notices = [...this.notices.slice(1 - MAX_NOTICES), { id: ++noticeIds, notice }];
    this.emit('notice', notice);
    this.changed();
  }

  #markTyping(user: UserInfo): void {
    const entry = this.#typingUsers.get(user.id);
    if (entry) clearTimeout(entry.timer);
    const timer = setTimeout(() => this.#clearTyping(user.id), TYPING_TIMEOUT_MS);
    this.#typingUsers.set(user.id, { user, timer });
    this.changed();
  }

  #clearTyping(id: UserId): void {
    const entry = this.#typingUsers.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#typingUsers.delete(id);
    this.changed();
  }
}

