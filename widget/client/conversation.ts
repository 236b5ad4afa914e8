/**
 * What a room and a private conversation have in common: a message log that
 * (re)loads on every connect, replays what it missed by `seq`, fetches any gap
 * seen in the live stream, pages backwards, and sends through the outbox.
 * What happens to messages after they were sent (edits, reactions,
 * deletions, blocks) is the rich part's (rich-conversation.ts).
 */
import { HISTORY_MAX_LIMIT, HISTORY_PAGE_SIZE, type ChatMessage, type HistoryPage } from '../../protocol/index.js';
import type { Channel } from './channel.js';
import type { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import type { ClientAck, ClientError } from './errors.js';
import { MessageLog } from './message-log.js';
import type { Outbox, PendingSend } from './outbox.js';
import { targetKey, type SendTarget } from './pending-store.js';
import type { RichConversation } from './rich-conversation.js';

export type ConversationStatus = 'idle' | 'loading' | 'ready' | 'error';

export type ConversationEvents = {
  /** Anything shown changed. */
  change: () => void;
  /** A message arrived after the first load: live, or `replayed` (missed while disconnected, filled in after a reconnect). */
  message: (message: ChatMessage, replayed: boolean) => void;
  error: (error: ClientError) => void;
};

export interface HistoryQuery {
  beforeSeq?: number;
  afterSeq?: number;
  limit?: number;
}

/** The first page of a (re)load and, for rooms, what the server remembers of this user there. */
export interface OpenResult extends HistoryPage {
  /** The user's delivery cursor (0 when none): a first load replays everything after it. */
  cursor?: number;
  /** Messages of others after the cursor. */
  unread?: number;
  /** `unread` is a lower bound: the server stopped counting at `UNREAD_CAP`. */
  unreadCapped?: boolean;
  /** Rooms: the highest change number the page is current at (see `JoinResult.lastRev`). */
  lastRev?: number;
}

/** Largest gap replayed message by message; beyond it the log restarts from the latest page. */
export const MAX_REPLAY = 1000;

export abstract class Conversation<E extends ConversationEvents = ConversationEvents> extends Emitter<E> {
  readonly log = new MessageLog();
  status: ConversationStatus = 'idle';
  error: ClientError | null = null;
  /** True after the first load finished (from then on, arrivals are announced). */
  loaded = false;
  loadingOlder = false;
  /** Messages of others that arrived since `markRead()` (or missed while away, on the first load). */
  unread = 0;
  /** `unread` is a lower bound (more were missed than the server counts): shown as "99+". */
  unreadCapped = false;
  /** The user has seen the conversation up to this seq: the unread ones come after it. */
  readSeq = 0;
  /**
   * Replies, reactions, edits, deletions, change replay and blocks
   * (rich-conversation.ts, loaded on first use and before every join): null
   * until the first load has it.
   */
  rich: RichConversation | null = null;
  /** True once `stop()` was called. */
  stopped = false;
  protected readonly offs: (() => void)[] = [];
  /** Everything above this seq is held (or being fetched); holes above it are gaps to fill. */
  #floor = 0;
  /** Live messages that arrived while (re)loading, applied once the page is in. */
  #buffered: ChatMessage[] = [];
  #filling = false;
  #refill = false;

  readonly conn: Connection;
  protected readonly outbox: Outbox;
  /** `room:<name>` or `dm:<userId>`. */
  readonly key: string;

  constructor(
    { conn, outbox }: Channel,
    readonly target: SendTarget,
  ) {
    super();
    this.conn = conn;
    this.outbox = outbox;
    this.key = targetKey(target);
  }

  /** Starts following the conversation: loads it now if connected and again on every reconnect. */
  start(): void {
    const conn = this.conn;
    this.offs.push(
      conn.on('state', (state) => {
        if (state === 'connected') void this.load();
        else if (this.status === 'loading' || this.status === 'ready') this.setStatus('idle');
        this.changed();
      }),
      this.outbox.on('sent', (key, message) => {
        if (key === this.key) this.receive([message], this.loaded);
      }),
      this.outbox.on('change', (key) => {
        if (key === this.key) this.changed();
      }),
    );
    // Fetched while the connection opens, so the join does not wait for it (a failure is tried again then).
    this.loadRich().catch(() => undefined);
    if (conn.connected) void this.load();
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
    this.rich?.stop();
  }

  /** The messages to show: those of blocked users left out, and their reactions (see `RichConversation.visible`). */
  get messages(): ChatMessage[] {
    return this.rich?.visible ?? this.log.messages;
  }

  /** The rich part, loading it on first use. */
  async loadRich(): Promise<RichConversation> {
    const { RichConversation } = await import('./rich-conversation.js');
    return (this.rich ??= new RichConversation(this));
  }

  get pending(): PendingSend[] {
    return this.outbox.pending(this.key);
  }

  /**
   * Sends text (validated against the shared limits), as a reply to the
   * message `replyTo` if given (rooms); resolves with the stored message once
   * the server has it. `image`: an upload id (`text` is its caption, maybe empty).
   */
  send(text: string, replyTo?: string, image?: string): Promise<ChatMessage> {
    return this.outbox.send(this.target, text, replyTo, image);
  }

  retry(clientId: string): Promise<ChatMessage> {
    return this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    this.outbox.discard(clientId);
  }

  /** The user has seen everything up to now (ignored until the first load is complete: nothing was shown yet). */
  markRead(): void {
    if (!this.loaded) return;
    this.readSeq = this.log.lastSeq;
    if (!this.unread) return;
    this.unread = 0;
    this.unreadCapped = false;
    this.changed();
  }

  /** Loads the page (of `limit` messages) before the oldest message shown (nothing while one is under way). */
  async loadOlder(limit = HISTORY_PAGE_SIZE): Promise<void> {
    if (this.loadingOlder || !this.log.hasMore || this.status !== 'ready') return;
    this.loadingOlder = true;
    this.changed();
    const ack = await this.fetchHistory({ beforeSeq: this.log.firstSeq, limit });
    this.loadingOlder = false;
    if (this.stopped) return;
    if (ack.ok) {
      this.log.add(ack.data.messages);
      this.log.hasMore = ack.data.hasMore;
    } else this.fail(ack.error);
    this.changed();
  }

  /** The `room` its messages carry: the room name, or the private conversation's id. */
  abstract get roomId(): string;
  /** Requests the conversation's first page (join, for rooms). */
  protected abstract open(): Promise<ClientAck<OpenResult>>;
  protected abstract fetchHistory(query: HistoryQuery): Promise<ClientAck<HistoryPage>>;
  /** Told when sends to this conversation may go out (rooms must be joined first). */
  protected setReady(_ready: boolean): void {}
  /** Everything up to `seq` has arrived, without gaps. */
  protected delivered(_seq: number): void {}
  /** The (re)load was refused with `error`. */
  protected refused(_error: ClientError): void {}

  /** A live message: applied now, or after the (re)load under way. */
  protected live(message: ChatMessage): void {
    if (this.status === 'ready') this.receive([message], true);
    else if (this.status === 'loading') this.#buffered.push(message);
  }

  /** (Re)loads after a connect: the latest page, then every message missed since the last one held. */
  protected async load(): Promise<void> {
    this.setStatus('loading');
    this.#buffered = [];
    // Before the join: the changes that follow it are then never missed. A chunk that fails leaves the messages plain.
    const rich = await this.loadRich().catch(() => null);
    const ack = await this.open();
    if (this.stopped) return;
    if (!ack.ok) {
      this.setStatus('error', ack.error);
      this.fail(ack.error);
      this.refused(ack.error);
      return;
    }
    const page = ack.data;
    const first = page.messages[0];
    // What the view already holds; after a reload, what the server says this user received.
    const known = this.log.lastSeq || (this.loaded ? 0 : (page.cursor ?? 0));
    if (known && first && (first.seq - known > MAX_REPLAY || rich?.stale(page.lastRev))) {
      this.log.clear();
      this.#floor = 0;
    } else if (known && !this.log.messages.length) this.#floor = known;
    if (!this.loaded || !this.log.messages.length) this.log.hasMore = page.hasMore;
    if (!this.loaded) {
      this.unread = page.unread ?? 0;
      // Only own messages among those the server looked at: shown as nothing unread, not "0+".
      this.unreadCapped = this.unread > 0 && !!page.unreadCapped;
      this.readSeq = this.unread ? (page.cursor ?? 0) : (page.messages.at(-1)?.seq ?? 0);
    }
    this.receive([...page.messages, ...this.#buffered], this.loaded, true);
    this.#buffered = [];
    this.setStatus('ready');
    this.setReady(true);
    await Promise.all([rich?.replay(page.lastRev), this.#fillGaps()]);
    if (this.stopped) return;
    if (!this.loaded) {
      this.loaded = true;
      this.changed();
    }
  }

  /** Fetches what is missing above the floor, page by page, until the log runs without gaps. */
  async #fillGaps(): Promise<void> {
    if (this.#filling) {
      this.#refill = true;
      return;
    }
    this.#filling = true;
    try {
      do {
        this.#refill = false;
        for (let gap = this.log.gapAfter(this.#floor); gap !== null; gap = this.log.gapAfter(this.#floor)) {
          if (this.stopped || this.status !== 'ready') return;
          const ack = await this.fetchHistory({ afterSeq: gap, limit: HISTORY_MAX_LIMIT });
          if (!ack.ok || !ack.data.messages.length) return;
          // A later start than asked for: the site's retention removed the rest, so the room begins there now.
          const first = ack.data.messages[0]!.seq;
          if (first > gap + 1) this.#floor = first - 1;
          this.receive(ack.data.messages, this.loaded, true);
        }
      } while (this.#refill);
    } finally {
      this.#filling = false;
    }
  }

  /** Adds messages; new ones from others count as unread when `fresh`, and are announced once loaded. */
  protected receive(messages: readonly ChatMessage[], fresh: boolean, replayed = false): void {
    const before = this.log.lastSeq;
    const added = this.log.add(messages);
    for (const m of messages) this.outbox.settle(m);
    if (!added.length) return;
    const me = this.conn.user?.id;
    // A blocked user's messages are neither counted nor announced.
    const shown = added.filter((m) => !this.rich?.hides(m));
    if (fresh) this.unread += shown.filter((m) => m.from.id !== me).length;
    if (this.loaded) for (const m of shown) this.#fire('message', m, replayed);
    // A jump in the live stream: fetch the hole (skipped while a load or fill is under way, which covers it).
    if (this.status === 'ready' && added.some((m) => m.seq > before + 1) && before) void this.#fillGaps();
    if (this.log.gapAfter(this.#floor) === null) this.delivered(this.log.lastSeq);
    this.changed();
  }

  protected setStatus(status: ConversationStatus, error: ClientError | null = null): void {
    if (status !== 'ready') this.setReady(false);
    this.status = status;
    this.error = error;
    this.changed();
  }

  protected fail(error: ClientError): void {
    this.#fire('error', error);
  }

  /** Something shown changed: the views render again. */
  changed(): void {
    this.#fire('change');
  }

  /** `emit` for the events every conversation has (subclasses may add more). */
  #fire<K extends keyof ConversationEvents>(event: K, ...args: Parameters<ConversationEvents[K]>): void {
    (this.emit as unknown as (e: K, ...a: Parameters<ConversationEvents[K]>) => void).call(this, event, ...args);
  }
}
