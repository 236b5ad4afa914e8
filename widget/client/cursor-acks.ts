/**
 * Delivery acks (`room:ack`), batched: many messages arriving together cost
 * one ack per room per `CURSOR_ACK_DELAY_MS`. An ack that cannot go out now
 * waits for the next one; the cursor only ever moves forward on the server.
 */
import { CURSOR_ACK_DELAY_MS } from '../../protocol/index.js';
import type { Connection } from './connection.js';

export class CursorAcks {
  private readonly due = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly delayMs = CURSOR_ACK_DELAY_MS,
  ) {}

  /** Everything in `room` up to `seq` has been received. */
  received(room: string, seq: number): void {
    if (seq > (this.due.get(room) ?? 0)) this.due.set(room, seq);
    // Also re-arms an ack held back while offline.
    if (this.due.size) this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.conn.connected) return;
    for (const [room, seq] of this.due) void this.conn.request('room:ack', { room, seq });
    this.due.clear();
  }
}
