/**
 * Sends the server has not acknowledged yet. Every message gets its
 * `clientId` before the first attempt and keeps it through every retry, so the
 * server stores it once however often it is sent. Sends go out one at a time,
 * oldest first, so a backlog flushed after a reconnect keeps the order they
 * were written in. Transient failures (offline, no answer, rate limited) are
 * retried with jittered exponential backoff until acknowledged; a refusal
 * (muted, too long, read-only room …) marks the message failed, for the user to
 * retry or discard. Pending sends are kept in storage and survive a reload.
 */
import type { ChatMessage, UserId } from '../../protocol/index.js';
import { Emitter } from './emitter.js';
import { ChatRoomError, checkMessageText, type AnyErrorCode, type ClientError } from './errors.js';
import type { Link } from './link.js';
import { targetKey, type PendingStore, type SendTarget, type StoredSend } from './pending-store.js';
import { uuid } from './uuid.js';

export type { SendTarget } from './pending-store.js';

export interface PendingSend {
  clientId: string;
  /** `room:<name>` or `dm:<userId>`: which conversation shows it. */
  key: string;
  target: SendTarget;
  text: string;
  /** Room messages: the id of the message this one answers (kept through every retry and reload). */
  replyTo?: string;
  /** Room messages: the upload id of its image (`text` is then a caption, maybe empty). */
  image?: string;
  /** `sending` until acknowledged (also while offline or between retries); `failed` once refused. */
  state: 'sending' | 'failed';
  /** Why it failed, or why the last attempt did not go through. */
  error: ClientError | null;
  createdAt: number;
  attempts: number;
  owner?: UserId;
}

export type OutboxEvents = {
  /** The pending list of conversation `key` changed. */
  change: (key: string) => void;
  /** A send was acknowledged. */
  sent: (key: string, message: ChatMessage) => void;
};

/** Answers that mean "not now" rather than "no": the same send is tried again. */
const TRANSIENT: ReadonlySet<AnyErrorCode> = new Set<AnyErrorCode>([
  'not_connected',
  'timeout',
  'rate_limited',
  'internal_error',
  // The room is being joined again after a reconnect.
  'not_in_room',
]);

/** True when an answer means "not now": what waited for it may go later. */
export function isTransient(error: ClientError): boolean {
  return TRANSIENT.has(error.code);
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 15_000;

/** Exponential backoff with jitter (half to full of the step), so clients that lost the server together do not return together. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}

interface Waiter {
  resolve(message: ChatMessage): void;
  reject(error: ChatRoomError): void;
}

export class Outbox extends Emitter<OutboxEvents> {
  /** Attempts beyond the first, over this outbox's life (diagnostics: a flaky network shows here). */
  retries = 0;
  readonly #items = new Map<string, PendingSend>();
  readonly #notBefore = new Map<string, number>();
  readonly #waiters = new Map<string, Waiter[]>();
  /** Rooms joined right now: a room message waits for its join, a private one only for the connection. */
  readonly #readyRooms = new Set<string>();
  /** Ids acknowledged or discarded here since the last save, to drop from storage. */
  readonly #settled = new Set<string>();
  #pumping = false;
  #wake: ReturnType<typeof setTimeout> | undefined;

  readonly #conn: Link;
  readonly #store: PendingStore | null;

  constructor(conn: Link, store: PendingStore | null) {
    super();
    this.#conn = conn;
    this.#store = store;
    for (const saved of store?.load() ?? []) this.#items.set(saved.clientId, fromStored(saved));
    conn.on('state', (state) => {
      if (state !== 'connected') return this.#readyRooms.clear();
      // Back online: whatever was waiting out a backoff goes now.
      this.#notBefore.clear();
      this.#pump();
    });
    conn.on('user', (user) => {
      for (const item of [...this.#items.values()]) {
        if (item.owner && item.owner !== user.id) this.#forget(item, null);
        else item.owner = user.id;
      }
      this.#persist();
    });
  }

  /** Pending sends of one conversation, oldest first. */
  pending(key: string): PendingSend[] {
    return [...this.#items.values()].filter((i) => i.key === key);
  }

  /**
   * Queues a message (validated against the shared limits first) and resolves
   * with the stored message once the server has it, however many attempts that
   * takes; rejects with a `ChatRoomError` when the server refuses it.
   * `replyTo`: the id of the room message it answers.
   */
  send(target: SendTarget, text: string, replyTo?: string, image?: string): Promise<ChatMessage> {
    // An image's caption may be empty.
    const invalid = image && !text.trim() ? null : checkMessageText(text);
    if (invalid) return Promise.reject(new ChatRoomError(invalid));
    const item: PendingSend = {
      clientId: uuid(),
      key: targetKey(target),
      target,
      text: text.trim(),
      state: 'sending',
      error: null,
      createdAt: Date.now(),
      attempts: 0,
      owner: this.#conn.user?.id,
      replyTo,
      image,
    };
    this.#items.set(item.clientId, item);
    this.#persist();
    this.emit('change', item.key);
    const settled = this.#wait(item.clientId);
    this.#pump();
    return settled;
  }

  /** Queues a failed message again, with the same `clientId`. */
  retry(clientId: string): Promise<ChatMessage> {
    const item = this.#items.get(clientId);
    if (!item) return Promise.reject(new ChatRoomError({ code: 'invalid_payload', message: 'Nothing to retry.' }));
    item.state = 'sending';
    item.error = null;
    item.attempts = 0;
    this.#notBefore.delete(clientId);
    this.emit('change', item.key);
    const settled = this.#wait(clientId);
    this.#pump();
    return settled;
  }

  /** Forgets a pending or failed message: it is not sent (again). */
  discard(clientId: string): void {
    const item = this.#items.get(clientId);
    if (!item) return;
    this.#forget(item, new ChatRoomError({ code: 'invalid_payload', message: 'The message was discarded.' }));
    this.#persist();
  }

  /** A message arrived (live, or from history): if it is one of ours, it is delivered. */
  settle(message: ChatMessage): void {
    const item = this.#items.get(message.clientId);
    if (!item || (item.owner !== undefined && item.owner !== message.from.id)) return;
    this.#delivered(item, message);
  }

  /** A conversation is joined (or not any more): its room messages may go out. */
  setRoomReady(room: string, ready: boolean): void {
    if (!ready) return void this.#readyRooms.delete(room);
    this.#readyRooms.add(room);
    this.#pump();
  }

  /** The room refused the join for good (`room_not_allowed`, `invalid_room` …): what waits for it fails with that error. */
  refuseRoom(room: string, error: ClientError): void {
    for (const item of this.#items.values()) {
      if (item.state !== 'sending' || !('room' in item.target) || item.target.room !== room) continue;
      this.#fail(item, error);
    }
  }

  #wait(clientId: string): Promise<ChatMessage> {
    return new Promise((resolve, reject) => {
      const list = this.#waiters.get(clientId) ?? [];
      list.push({ resolve, reject });
      this.#waiters.set(clientId, list);
    });
  }

  /** Sends due messages one at a time until none is due; a timer wakes it for the next backoff. */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    void (async () => {
      try {
        for (let item = this.#next(); item && this.#conn.connected; item = this.#next()) await this.#attempt(item);
      } finally {
        this.#pumping = false;
        this.#scheduleWake();
      }
    })();
  }

  /** The oldest sendable message: per conversation only the oldest pending one, so each keeps its order. */
  #next(): PendingSend | undefined {
    const now = Date.now();
    const blocked = new Set<string>();
    for (const item of this.#items.values()) {
      if (item.state !== 'sending' || blocked.has(item.key)) continue;
      blocked.add(item.key);
      if (this.#canSend(item) && (this.#notBefore.get(item.clientId) ?? 0) <= now) return item;
    }
    return undefined;
  }

  #canSend(item: PendingSend): boolean {
    return 'to' in item.target || this.#readyRooms.has(item.target.room);
  }

  #scheduleWake(): void {
    clearTimeout(this.#wake);
    if (!this.#conn.connected) return;
    const due = [...this.#items.values()]
      .filter((i) => i.state === 'sending' && this.#canSend(i) && this.#notBefore.has(i.clientId))
      .map((i) => this.#notBefore.get(i.clientId)!);
    if (due.length) this.#wake = setTimeout(() => this.#pump(), Math.max(0, Math.min(...due) - Date.now()));
  }

  async #attempt(item: PendingSend): Promise<void> {
    if (item.attempts++) this.retries++;
    const { target, text, clientId, replyTo, image } = item;
    const ack =
      'room' in target
        ? await this.#conn.request('message:send', { room: target.room, text, clientId, replyTo, image })
        : await this.#conn.request('dm:send', { to: target.to, text, clientId });
    if (!this.#items.has(clientId)) return;
    if (ack.ok) return this.#delivered(item, ack.data.message);
    item.error = ack.error;
    if (TRANSIENT.has(ack.error.code)) {
      this.#notBefore.set(clientId, Date.now() + (ack.error.retryAfterMs ?? retryDelay(item.attempts)));
      if (ack.error.code === 'not_in_room' && 'room' in target) this.#readyRooms.delete(target.room);
      this.emit('change', item.key);
      return;
    }
    this.#fail(item, ack.error);
  }

  #fail(item: PendingSend, error: ClientError): void {
    item.state = 'failed';
    item.error = error;
    this.emit('change', item.key);
    for (const w of this.#waiters.get(item.clientId) ?? []) w.reject(new ChatRoomError(error));
    this.#waiters.delete(item.clientId);
  }

  #delivered(item: PendingSend, message: ChatMessage): void {
    this.#forget(item, null);
    this.#persist();
    this.emit('sent', item.key, message);
    for (const w of this.#waiters.get(item.clientId) ?? []) w.resolve(message);
    this.#waiters.delete(item.clientId);
  }

  /** Drops an item (rejecting whoever waits for it with `reason`, if given). */
  #forget(item: PendingSend, reason: ChatRoomError | null): void {
    this.#items.delete(item.clientId);
    this.#notBefore.delete(item.clientId);
    this.#settled.add(item.clientId);
    if (reason) for (const w of this.#waiters.get(item.clientId) ?? []) w.reject(reason);
    if (reason) this.#waiters.delete(item.clientId);
    this.emit('change', item.key);
  }

  #persist(): void {
    this.#store?.save([...this.#items.values()].map(toStored), this.#settled);
    this.#settled.clear();
  }
}

/** What is kept of a pending send: all but its state on this page (JSON leaves out a missing `owner` or `replyTo`). */
function toStored(item: PendingSend): StoredSend {
  const { key: _key, state: _state, error: _error, attempts: _attempts, ...stored } = item;
  return stored;
}

/** A send restored from storage is pending again: a reload is a natural moment to try once more. */
function fromStored(saved: StoredSend): PendingSend {
  return { ...saved, key: targetKey(saved.target), state: 'sending', error: null, attempts: 0 };
}
