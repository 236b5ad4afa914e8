/**
 * Delivery acks (`room:ack`), batched: many messages arriving together cost
 * one ack per room per `CURSOR_ACK_DELAY_MS`. An ack that cannot go out now
 * waits for the next one; the cursor only ever moves forward on the server.
 */
import { CURSOR_ACK_DELAY_MS } from '../../protocol/index.js';
import type { Link } from './link.js';

export class CursorAcks {
  readonly #due = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  readonly #conn: Link;
  readonly #delayMs;

  constructor(conn: Link, delayMs = CURSOR_ACK_DELAY_MS) {
    this.#conn = conn;
    this.#delayMs = delayMs;
  }

  /** Everything in `room` up to `seq` has been received. */
  received(room: string, seq: number): void {
    if (seq > (this.#due.get(room) ?? 0)) this.#due.set(room, seq);
    // Also re-arms an ack held back while offline.
    if (this.#due.size && !this.#timer) this.#timer = setTimeout(() => this.#flush(), this.#delayMs);
  }

  #flush(): void {
    this.#timer = undefined;
    if (!this.#conn.connected) return;
    for (const [room, seq] of this.#due) void this.#conn.request('room:ack', { room, seq });
    this.#due.clear();
  }
}
