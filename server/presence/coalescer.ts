/**
 * At most one flush per room per window, cluster-wide. A change is recorded
 * in the store first, then `touch` asks the gate for the room's slot: free, it
 * flushes at once (a lone change in a quiet room goes out without delay);
 * taken (by this node or another), it waits until the slot frees and asks
 * again. Every change of the window then goes out in that one flush; a node
 * whose changes another node's flush already took finds nothing to send, and
 * with `stillDue` it does not even take a slot for it (one that would keep
 * the next real change waiting a window longer).
 */
import type { Logger } from '../logger.js';

export interface FlushGate {
  /** Takes the slot named `key` for `windowMs` when it is free (answers 0), or answers how long until it frees. */
  take(key: string, windowMs: number): Promise<number>;
  /** Keeps the slot named `key` (taken by this caller) for `ms` from now. */
  hold(key: string, ms: number): Promise<void>;
}

export class Coalescer {
  /** Rooms this node is about to flush: asking the gate, or waiting for the slot (with its timer). */
  private readonly waiting = new Map<string, NodeJS.Timeout | undefined>();
  private closed = false;

  constructor(
    /** Names the gate's slots: coalescers of different things never share one. */
    private readonly name: string,
    private readonly gate: FlushGate,
    private readonly windowMs: number,
    /** Sends the room's changes; may answer a longer window before the room's next flush. */
    private readonly flush: (site: string, room: string) => Promise<number | void>,
    private readonly logger: Logger,
    /** Asked after a wait: whether the room still has something to flush (another node may have flushed it). */
    private readonly stillDue?: (site: string, room: string) => Promise<boolean>,
  ) {}

  /** The room changed: flush it now or as soon as its window allows. */
  touch(site: string, room: string): void {
    const key = `${site}\0${room}`;
    if (this.closed || this.waiting.has(key)) return;
    this.waiting.set(key, undefined);
    void this.attempt(site, room, key, false);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }

  private async attempt(site: string, room: string, key: string, waited: boolean): Promise<void> {
    try {
      if (waited && this.stillDue && !(await this.stillDue(site, room))) {
        this.waiting.delete(key);
        return;
      }
      const slot = `${this.name}:${site}:${room}`;
      const wait = await this.gate.take(slot, this.windowMs);
      if (this.closed) return;
      if (wait > 0) {
        const timer = setTimeout(() => void this.attempt(site, room, key, true), wait);
        timer.unref();
        this.waiting.set(key, timer);
        return;
      }
      // Changes from now on wait for the next slot.
      this.waiting.delete(key);
      const next = await this.flush(site, room);
      if (next && next > this.windowMs) await this.gate.hold(slot, next);
    } catch (err) {
      this.waiting.delete(key);
      this.logger.error('coalesced flush failed', { name: this.name, site, room, err });
    }
  }
}
