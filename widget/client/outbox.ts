/**
 * Sends that the server has not acknowledged yet. Every message gets its
 * `clientId` before the first attempt, so a retry can never store it twice.
 * This is the seam for persistence and automatic retry with backoff.
 */
import type { ChatMessage, UserId } from '../../protocol/index.js';
import type { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { ChatRoomError, checkMessageText, type ClientError } from './errors.js';
import { uuid } from './uuid.js';

export type SendTarget = { room: string } | { to: UserId };

export interface PendingSend {
  clientId: string;
  /** `room:<name>` or `dm:<userId>`: which conversation shows it. */
  key: string;
  target: SendTarget;
  text: string;
  state: 'sending' | 'failed';
  error: ClientError | null;
  createdAt: number;
}

export type OutboxEvents = {
  /** The pending list of conversation `key` changed. */
  change: (key: string) => void;
  /** A send was acknowledged. */
  sent: (key: string, message: ChatMessage) => void;
};

/** The conversation key of a send target. */
export function targetKey(target: SendTarget): string {
  return 'room' in target ? `room:${target.room}` : `dm:${target.to}`;
}

export class Outbox extends Emitter<OutboxEvents> {
  private readonly items = new Map<string, PendingSend>();

  constructor(private readonly conn: Connection) {
    super();
  }

  /** Pending sends of one conversation, oldest first. */
  pending(key: string): PendingSend[] {
    return [...this.items.values()].filter((i) => i.key === key);
  }

  /** Validates and sends; resolves with the stored message, rejects with a `ChatRoomError`. */
  send(target: SendTarget, text: string): Promise<ChatMessage> {
    const invalid = checkMessageText(text);
    if (invalid) return Promise.reject(new ChatRoomError(invalid));
    const item: PendingSend = {
      clientId: uuid(),
      key: targetKey(target),
      target,
      text: text.trim(),
      state: 'sending',
      error: null,
      createdAt: Date.now(),
    };
    this.items.set(item.clientId, item);
    return this.attempt(item);
  }

  /** Sends a failed message again with the same `clientId`. */
  retry(clientId: string): Promise<ChatMessage> {
    const item = this.items.get(clientId);
    if (!item) return Promise.reject(new ChatRoomError({ code: 'invalid_payload', message: 'Nothing to retry.' }));
    return this.attempt(item);
  }

  /** Forgets a pending message. */
  discard(clientId: string): void {
    const item = this.items.get(clientId);
    if (item && this.items.delete(clientId)) this.emit('change', item.key);
  }

  /** A live message settled a pending send (it may arrive before the ack). */
  settle(message: ChatMessage): void {
    const item = this.items.get(message.clientId);
    if (item && this.items.delete(message.clientId)) this.emit('change', item.key);
  }

  private async attempt(item: PendingSend): Promise<ChatMessage> {
    item.state = 'sending';
    item.error = null;
    this.emit('change', item.key);
    const { target, text, clientId } = item;
    const ack =
      'room' in target
        ? await this.conn.request('message:send', { room: target.room, text, clientId })
        : await this.conn.request('dm:send', { to: target.to, text, clientId });
    if (ack.ok) {
      this.items.delete(clientId);
      this.emit('sent', item.key, ack.data.message);
      this.emit('change', item.key);
      return ack.data.message;
    }
    if (this.items.has(clientId)) {
      item.state = 'failed';
      item.error = ack.error;
      this.emit('change', item.key);
    }
    throw new ChatRoomError(ack.error);
  }
}
