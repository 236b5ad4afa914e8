/**
 * What a room and a private conversation have in common: a message log that
 * joins on every (re)connect, pages backwards, and sends through the outbox.
 */
import { HISTORY_MAX_LIMIT, HISTORY_PAGE_SIZE, type ChatMessage, type HistoryPage } from '../../protocol/index.js';
import type { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import type { ClientAck, ClientError } from './errors.js';
import { MessageLog } from './message-log.js';
import type { PendingSend, SendTarget } from './outbox.js';

export type ConversationStatus = 'idle' | 'loading' | 'ready' | 'error';

export type ConversationEvents = {
  /** Anything shown changed. */
  change: () => void;
  /** A message arrived live (not history). */
  message: (message: ChatMessage) => void;
  error: (error: ClientError) => void;
};

export interface HistoryQuery {
  beforeSeq?: number;
  afterSeq?: number;
  limit?: number;
}

/** Largest gap replayed message by message after a reconnect; bigger gaps reload the latest page. */
const MAX_REPLAY = 1000;

export abstract class Conversation<E extends ConversationEvents = ConversationEvents> extends Emitter<E> {
  readonly log = new MessageLog();
  status: ConversationStatus = 'idle';
  error: ClientError | null = null;
  /** True after the first page of history arrived (live announcements may start). */
  loaded = false;
  loadingOlder = false;
  protected stopped = false;
  protected readonly offs: (() => void)[] = [];

  constructor(
    readonly conn: Connection,
    readonly key: string,
    readonly target: SendTarget,
  ) {
    super();
  }

  /** Starts following the conversation: loads it now if connected and again on every reconnect. */
  start(): void {
    const conn = this.conn;
    this.offs.push(
      conn.on('state', (state) => {
        if (state === 'connected') void this.load();
        else if (this.status === 'loading') this.setStatus('idle');
        this.changed();
      }),
      conn.outbox.on('sent', (key, message) => {
        if (key === this.key) this.receive([message], true);
      }),
      conn.outbox.on('change', (key) => {
        if (key === this.key) this.changed();
      }),
    );
    if (conn.connected) void this.load();
  }

  stop(): void {
    this.stopped = true;
    for (const off of this.offs.splice(0)) off();
  }

  get messages(): ChatMessage[] {
    return this.log.messages;
  }

  get pending(): PendingSend[] {
    return this.conn.outbox.pending(this.key);
  }

  /** Sends text (validated against the shared limits); resolves with the stored message. */
  send(text: string): Promise<ChatMessage> {
    return this.conn.outbox.send(this.target, text);
  }

  retry(clientId: string): Promise<ChatMessage> {
    return this.conn.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    this.conn.outbox.discard(clientId);
  }

  /** Loads the page before the oldest message shown. */
  async loadOlder(): Promise<void> {
    if (this.loadingOlder || !this.log.hasMore || this.status !== 'ready') return;
    this.loadingOlder = true;
    this.changed();
    const ack = await this.fetchHistory({ beforeSeq: this.log.firstSeq, limit: HISTORY_PAGE_SIZE });
    this.loadingOlder = false;
    if (this.stopped) return;
    if (ack.ok) {
      this.log.add(ack.data.messages);
      this.log.hasMore = ack.data.hasMore;
    } else this.fail(ack.error);
    this.changed();
  }

  /** Requests the conversation's first page (join for rooms). */
  protected abstract open(): Promise<ClientAck<HistoryPage>>;
  protected abstract fetchHistory(query: HistoryQuery): Promise<ClientAck<HistoryPage>>;

  /** (Re)loads after a connect: first page, then replays any gap by `seq`. */
  protected async load(): Promise<void> {
    this.setStatus('loading');
    const known = this.log.lastSeq;
    const ack = await this.open();
    if (this.stopped) return;
    if (!ack.ok) {
      this.setStatus('error', ack.error);
      this.fail(ack.error);
      return;
    }
    const page = ack.data;
    const first = page.messages[0];
    if (known && first && first.seq > known + 1) {
      if (first.seq - known <= MAX_REPLAY) await this.replay(known, first.seq);
      else this.log.clear();
    }
    if (this.stopped) return;
    const isFirstLoad = !this.loaded;
    if (isFirstLoad || !this.log.messages.length) this.log.hasMore = page.hasMore;
    this.receive(page.messages, !isFirstLoad);
    this.loaded = true;
    this.setStatus('ready');
  }

  /** Fetches messages after `known` up to (not including) `until`. */
  private async replay(known: number, until: number): Promise<void> {
    let after = known;
    while (after < until - 1 && !this.stopped) {
      const ack = await this.fetchHistory({ afterSeq: after, limit: HISTORY_MAX_LIMIT });
      if (!ack.ok || !ack.data.messages.length) return;
      this.receive(ack.data.messages, true);
      after = this.log.lastSeq;
      if (!ack.data.hasMore) return;
    }
  }

  /** Adds messages; `live` ones that are new are announced as `message` events. */
  protected receive(messages: readonly ChatMessage[], live: boolean): void {
    const added = this.log.add(messages);
    for (const m of messages) this.conn.outbox.settle(m);
    if (live) for (const m of added) this.fire('message', m);
    if (added.length) this.changed();
  }

  protected setStatus(status: ConversationStatus, error: ClientError | null = null): void {
    this.status = status;
    this.error = error;
    this.changed();
  }

  protected fail(error: ClientError): void {
    this.fire('error', error);
  }

  protected changed(): void {
    this.fire('change');
  }

  /** `emit` for the events every conversation has (subclasses may add more). */
  private fire<K extends keyof ConversationEvents>(event: K, ...args: Parameters<ConversationEvents[K]>): void {
    (this.emit as unknown as (e: K, ...a: Parameters<ConversationEvents[K]>) => void).call(this, event, ...args);
  }
}
