/** One joined room: history, live messages, presence, typing and notices. */
import { PRESENCE_PAGE_MAX, type ListedPresence, type PresenceUpdate } from '../../protocol/index.js';
import type { Channel } from './channel.js';
import { Conversation, type ConversationEvents, type HistoryQuery, type OpenResult } from './conversation.js';
import type { CursorAcks } from './cursor-acks.js';
import { ChatRoomError, type ClientAck, type ClientError } from './errors.js';
import { isTransient } from './outbox.js';
import type { Notice, RoomActivity, TimelineNotice, Typing } from './room-activity.js';

export type { Notice, TimelineNotice, Typing } from './room-activity.js';

export type RoomConversationEvents = ConversationEvents & {
  presence: (presence: ListedPresence) => void;
  notice: (notice: Notice) => void;
};

export interface RoomConversationOptions {
  /**
   * Follow the room without being in it (`room:join { quiet: true }`): messages
   * arrive and count as unread, but the user is not in the room's presence and
   * no delivery ack stores a cursor. A launcher before its first opening.
   */
  quiet?: boolean;
}

const noNotices: TimelineNotice[] = [];

export class RoomConversation extends Conversation<RoomConversationEvents> {
  presence: ListedPresence | null = null;
  /** False while `presence` is only the last picture seen before the connection dropped. */
  presenceLive = false;
  #presenceVersion = 0;
  /** Typing and notices (room-activity.ts): loaded while the connection opens, awaited before every join. */
  #activity: RoomActivity | null = null;
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
        this.#activity?.clearTyping(m.from.id);
        this.live(m);
      }),
      conn.on('presence', (p, at) => {
        if (p.room !== this.room) return;
        // Only news: not what the join's answer (or a newer update) already showed, the visitor's own joining among it.
        if (this.status === 'ready' && p.version > this.#presenceVersion) this.#activity?.presenceNotices(p, at);
        this.#setPresence(p);
      }),
      conn.on('notice', (n) => {
        if (n.room === this.room) this.#activity?.notice(n);
      }),
      conn.on('typingSummary', (t) => {
        if (t.room !== this.room) return;
        this.#activity?.summary(t);
      }),
      conn.on('typing', (t) => {
        if (t.room !== this.room || t.user.id === conn.user?.id) return;
        if (t.typing) this.#activity?.markTyping(t.user);
        else this.#activity?.clearTyping(t.user.id);
      }),
      conn.on('state', (state) => {
        if (state === 'connected') return;
        this.#activity?.clearAll();
        this.#presenceVersion = 0;
        this.presenceLive = false;
      }),
    );
    super.start();
    this.#loadActivity().catch(() => undefined);
  }

  override stop(): void {
    super.stop();
    this.#activity?.stop();
    if (this.#retained && this.conn.releaseRoom(this.room)) {
      this.outbox.setRoomReady(this.room, false);
      if (this.conn.connected) void this.conn.request('room:leave', { room: this.room });
    }
    this.#retained = false;
  }

  /** Timeline notices: renames, joins and leaves (none before the first join). */
  get notices(): TimelineNotice[] {
    return this.#activity?.notices ?? noNotices;
  }

  /** Who is typing right now (in a small room, except oneself). */
  get typing(): Typing {
    return this.#activity?.typing ?? { count: 0, users: [] };
  }

  /** Tells the room whether the user is typing (throttled; `false` only after a `true`). */
  setTyping(typing: boolean): void {
    this.#activity?.setTyping(typing);
  }

  /** Typing and notices, loading them on first use. */
  async #loadActivity(): Promise<RoomActivity> {
    const { RoomActivity } = await import('./room-activity.js');
    return (this.#activity ??= new RoomActivity({
      conn: this.conn,
      room: this.room,
      noticed: (notice) => this.emit('notice', notice),
      changed: () => this.changed(),
    }));
  }

  /** Before every join, as the rich part: the typing and presence news that follow it are then never missed. */
  protected override async load(): Promise<void> {
    await this.#loadActivity().catch(() => null);
    return super.load();
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
      // Deltas are live news: they come after the join, which awaits the activity part (one that failed to load drops them).
      if (!this.#activity) return;
      p = { ...p, members: this.#activity.merge(p, this.presence?.members ?? []) };
    }
    this.#presenceVersion = p.version;
    // A room back under the big-room size relays typing one by one again: no summary stays behind.
    if (p.members!.length >= p.count) this.#activity?.dropSummary();
    this.presence = p as ListedPresence;
    this.presenceLive = true;
    this.emit('presence', this.presence);
    this.changed();
  }
}
