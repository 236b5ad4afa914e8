/**
 * The rich part of a conversation: applies edits, reactions and deletions to
 * the messages it holds (and to the quotes of replies to them), replays the
 * changes missed while away by the room's change number (`rev`), sends
 * reactions, edits and deletions, pages back to the original of a quote, and
 * hides what blocked users wrote. Loaded on first use (conversation.ts loads
 * it before its first join), so none of it weighs on the first render.
 */
import {
  CHANGES_MAX_LIMIT,
  HISTORY_MAX_LIMIT,
  type ChatMessage,
  type MessageChanged,
  type MessageDeleted,
  type Privacy,
  type PrivacyRequest,
  type ReplyQuote,
  type UserId,
} from '../../protocol/index.js';
import type { Connection } from './connection.js';
import { ChatRoomError, checkMessageText, type ClientAck } from './errors.js';
import type { RequestEvent, RequestOf, ResultOf } from './link.js';
import type { MessageLog } from './message-log.js';
import type { UploadOptions } from './image-upload.js';
import type { SendTarget } from './pending-store.js';
import { deletedQuote, quoteOf, sameQuote, tombstone, visibleTo, withMyReactions } from './rich-messages.js';

/** More changes than this since the last one held: the log restarts from the latest page instead of replaying them. */
export const MAX_CHANGE_REPLAY = 1000;
/** Furthest back (in messages before the oldest held) that `reveal()` pages to find a quote's original. */
export const MAX_REVEAL = 2000;

/** What the rich part uses of its conversation (conversation.ts). */
export interface RichHost {
  readonly log: MessageLog;
  readonly conn: Connection;
  /** The `room` its messages carry (a private conversation's id for private messages). */
  readonly roomId: string;
  readonly stopped: boolean;
  readonly loadingOlder: boolean;
  /** A room's `{ room }` or a private conversation's `{ to }`. */
  readonly target: SendTarget;
  /** Something shown changed. */
  changed(): void;
  /** Sends through the outbox (retried with the same client id); `image`: an upload id. */
  send(text: string, replyTo?: string, image?: string): Promise<ChatMessage>;
  loadOlder(limit?: number): Promise<void>;
}

export class RichConversation {
  readonly #host: RichHost;
  /** Every change up to this change number is applied; null before the first join (whose page is current). */
  #rev: number | null = null;
  /** False from a disconnect until the replay after the next join: live changes then only raise `#live`. */
  #current = false;
  /** The highest change number seen live while not current. */
  #live = 0;
  #offs: (() => void)[];
  #memo: { messages: ChatMessage[]; privacy: Privacy; visible: ChatMessage[] } | null = null;

  constructor(host: RichHost) {
    this.#host = host;
    const conn = host.conn;
    this.#offs = [
      conn.on('changed', (c) => {
        if (c.room !== host.roomId) return;
        this.#seen(c.rev);
        this.#apply(c);
      }),
      conn.on('deleted', (d) => {
        if (d.room !== host.roomId) return;
        this.#seen(d.rev ?? 0);
        this.#deleted(d);
      }),
      conn.on('privacy', () => host.changed()),
      conn.on('state', (state) => {
        if (state !== 'connected') this.#current = false;
      }),
    ];
    if (host.stopped) this.stop();
  }

  stop(): void {
    for (const off of this.#offs.splice(0)) off();
  }

  /** The highest change number whose changes are all applied (0 before the first join). */
  get rev(): number {
    return this.#rev ?? 0;
  }

  // ---- change replay (conversation.ts calls these on every (re)load) ----

  /**
   * Whether more changes were made since the last one held than are worth
   * replaying: the conversation then restarts its log from the join's page
   * (current as of `lastRev`), and the replay has nothing to do.
   */
  stale(lastRev = 0): boolean {
    if (this.#rev === null || lastRev - this.#rev <= MAX_CHANGE_REPLAY) return false;
    this.#rev = null;
    return true;
  }

  /**
   * After a join that answered `lastRev`: applies every change since the last
   * one held, page by page (`message:changes`), to the messages held and the
   * quotes of replies; a first load's page is current already. Cut short by a
   * disconnect, the next join replays from where it stopped.
   */
  async replay(lastRev?: number): Promise<void> {
    if (lastRev === undefined) return;
    const { conn, roomId } = this.#host;
    for (let after = this.#rev; after !== null && after < lastRev; ) {
      const ack = await conn.request('message:changes', { room: roomId, after, limit: CHANGES_MAX_LIMIT });
      if (!ack.ok || this.#host.stopped) return;
      for (const m of ack.data.messages) this.#apply(m);
      if (ack.data.lastRev <= after) break;
      this.#rev = after = ack.data.lastRev;
      if (!ack.data.hasMore) break;
    }
    this.#rev = Math.max(this.#rev ?? 0, lastRev, this.#live);
    this.#current = true;
  }

  // ---- blocks ----

  /** Whether `message` is hidden from the user: its author is blocked. */
  hides(message: ChatMessage): boolean {
    return !!this.#host.conn.session?.privacy?.blocked.some((u) => u.id === message.from.id);
  }

  /**
   * The messages held, as the user sees them: blocked users' messages left
   * out and their reactions taken off the others (see `withoutBlocked`).
   * The same array until the messages or the blocks change.
   */
  get visible(): ChatMessage[] {
    const messages = this.#host.log.messages;
    const privacy = this.#host.conn.session?.privacy;
    if (!privacy?.blocked.length) return messages;
    const memo = this.#memo;
    if (memo?.messages === messages && memo.privacy === privacy) return memo.visible;
    const visible = visibleTo(messages, new Set(privacy.blocked.map((u) => u.id)));
    this.#memo = { messages, privacy, visible };
    return visible;
  }

  /** Hides a user's messages, reactions and private messages from you (kept by the server: across reloads, every tab). */
  block(userId: UserId): Promise<Privacy> {
    return this.#privacy({ block: userId });
  }

  unblock(userId: UserId): Promise<Privacy> {
    return this.#privacy({ unblock: userId });
  }

  /** Refuses (or takes again) private messages from guests. */
  setRefuseGuestDms(refuse: boolean): Promise<Privacy> {
    return this.#privacy({ refuseGuestDms: refuse });
  }

  // ---- requests (each resolves with the stored result, or rejects with a ChatRoomError) ----

  /** Adds your reaction; resolves with the message as held now (its `reactions` and your `myReactions`). */
  async react(messageId: string, emoji: string, on = true): Promise<ChatMessage> {
    const changed = await this.#call('message:react', { room: this.#host.roomId, messageId, emoji, on });
    return this.#changed(changed);
  }

  unreact(messageId: string, emoji: string): Promise<ChatMessage> {
    return this.react(messageId, emoji, false);
  }

  /** New text for your own message, within the site's edit window; resolves with the message as edited. */
  async edit(messageId: string, text: string): Promise<ChatMessage> {
    const invalid = checkMessageText(text);
    if (invalid) throw new ChatRoomError(invalid);
    return this.#changed(await this.#call('message:edit', { room: this.#host.roomId, messageId, text: text.trim() }));
  }

  /** Deletes your own message (moderators: anyone's); resolves with the deletion. */
  async deleteMessage(messageId: string): Promise<MessageDeleted> {
    const deleted = await this.#call('message:delete', { room: this.#host.roomId, messageId });
    this.#seen(deleted.rev ?? 0);
    this.#deleted(deleted);
    return deleted;
  }

  /**
   * Loads older history until the message `seq` (a quote's original) is held
   * and shown, for the views to scroll to it. False when it cannot be: before
   * the room's start (or its retention), more than `MAX_REVEAL` messages back,
   * hidden (a blocked author), or a page failed.
   */
  /**
   * Uploads `file` (lib client/image-upload.ts, loaded on first use) and sends it with `caption`;
   * resolves with the stored message. Rooms only (`forbidden` in a private conversation).
   */
  async sendImage(file: Blob, caption = '', options?: UploadOptions): Promise<ChatMessage> {
    const { target, conn } = this.#host;
    if (!('room' in target)) throw new ChatRoomError({ code: 'forbidden', message: 'Images go to rooms only.' });
    const { uploadImage } = await import('./image-upload.js');
    const { uploadId } = await uploadImage(conn, target.room, file, options);
    if (options?.signal?.aborted) throw new ChatRoomError({ code: 'aborted', message: 'The upload was cancelled.' });
    const sent = this.#host.send(caption, undefined, uploadId);
    options?.uploaded?.();
    return sent;
  }

  async reveal(seq: number): Promise<boolean> {
    const host = this.#host;
    const { log } = host;
    for (;;) {
      if (this.visible.some((m) => m.seq === seq)) return true;
      const first = log.firstSeq;
      if (!log.hasMore || !first || first <= seq || first - seq > MAX_REVEAL || host.stopped) return false;
      await host.loadOlder(HISTORY_MAX_LIMIT);
      // A page the list asked for (scrolled to the top) is still on its way: wait for it rather than give up.
      while (host.loadingOlder) await new Promise((resolve) => setTimeout(resolve, 50));
      if (log.firstSeq === first) return false;
    }
  }

  // ---- applying ----

  async #call<K extends RequestEvent>(event: K, payload: RequestOf<K>): Promise<ResultOf<K>> {
    const ack: ClientAck<ResultOf<K>> = await this.#host.conn.request(event, payload);
    if (!ack.ok) throw new ChatRoomError(ack.error);
    return ack.data;
  }

  async #privacy(req: PrivacyRequest): Promise<Privacy> {
    const privacy = await this.#call('user:privacy', req);
    this.#host.conn.privacyChanged(privacy);
    return privacy;
  }

  /**
   * The answer of one's own change, applied at once: its message carries the
   * user's `myReactions` (the broadcast, before or after it, agrees with it).
   */
  #changed({ message, rev }: MessageChanged): ChatMessage {
    this.#seen(rev);
    this.#apply(message);
    return this.#host.log.messages.find((m) => m.id === message.id) ?? message;
  }

  /** A change number seen live (or in an answer). */
  #seen(rev: number): void {
    if (this.#current) this.#rev = Math.max(this.#rev ?? 0, rev);
    else this.#live = Math.max(this.#live, rev);
  }

  /**
   * A message as it is now: a `message:changed` (whose own `myReactions` it
   * works out) or a changes page's message (with the reader's). An older
   * version than the one held changes nothing.
   */
  #apply(change: MessageChanged | ChatMessage): void {
    const live = 'message' in change;
    const message = live ? change.message : change;
    const me = this.#host.conn.user?.id;
    const quote = quoteOf(message);
    this.#update(
      message.id,
      (held) => ((message.rev ?? 0) < (held.rev ?? 0) ? held : live ? withMyReactions(change, held, me) : message),
      () => quote,
    );
  }

  #deleted(deleted: MessageDeleted): void {
    this.#update(
      deleted.id,
      (held) => tombstone(held, deleted),
      (quote) => deletedQuote(quote, deleted),
    );
  }

  /** Replaces the held message `id` and the quotes of the replies to it; the view renders again if anything changed. */
  #update(id: string, message: (held: ChatMessage) => ChatMessage, quote: (held: ReplyQuote) => ReplyQuote): void {
    const log = this.#host.log;
    let changed = false;
    const next = log.messages.map((held) => {
      if (held.id === id) {
        const m = message(held);
        changed ||= m !== held;
        return m;
      }
      if (held.replyTo?.id !== id) return held;
      const q = quote(held.replyTo);
      if (sameQuote(q, held.replyTo)) return held;
      changed = true;
      return { ...held, replyTo: q };
    });
    if (!changed) return;
    log.messages = next;
    this.#host.changed();
  }
}
