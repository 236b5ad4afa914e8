/**
 * Typing in big rooms (above the big-room size): typists are recorded
 * cluster-wide and the room gets a `typing:summary` at most once per
 * `TYPING_SUMMARY_MS` (cluster-wide, through the coalescer), only when the
 * typists changed, and a last one with `count: 0` when the last typist
 * stopped or their typing expired. A keystroke flood costs at most one
 * summary per second per room. Rooms at most the big-room size relay each
 * user's typing instead (handlers/typing.ts).
 */
import { TYPING_NAMED_MAX, TYPING_SUMMARY_MS, TYPING_TIMEOUT_MS } from '../../protocol/index.js';
import type { UserInfo } from '../../protocol/index.js';
import { roomChannel } from '../channels.js';
import type { Logger } from '../logger.js';
import { Coalescer } from '../presence/coalescer.js';
import type { FlushGate } from '../presence/coalescer.js';
import type { TypingStore } from '../presence/typing-store.js';
import type { NamespaceOf } from '../socket-types.js';

/** After an expiry, so the typing that ends there is over when the room is looked at. */
const EXPIRY_SLACK_MS = 50;

export interface TypingServiceOptions {
  store: TypingStore;
  gate: FlushGate;
  namespaceOf: NamespaceOf;
  logger: Logger;
}

export class TypingService {
  private readonly summaries: Coalescer;
  /** `site\0room` → the next look at the room for expired typing, and when. */
  private readonly expiryChecks = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private closed = false;

  constructor(private readonly options: TypingServiceOptions) {
    this.summaries = new Coalescer('typing', options.gate, TYPING_SUMMARY_MS, (site, room) => this.flush(site, room), options.logger);
  }

  /** `user` started (or goes on) or stopped typing in the big room. */
  async set(site: string, room: string, user: UserInfo, typing: boolean): Promise<void> {
    const expiresAt = typing ? Date.now() + TYPING_TIMEOUT_MS : undefined;
    const changed = await this.options.store.set(site, room, user, expiresAt);
    if (expiresAt !== undefined) this.checkAt(site, room, expiresAt);
    if (changed) this.summaries.touch(site, room);
  }

  close(): void {
    this.closed = true;
    this.summaries.close();
    for (const { timer } of this.expiryChecks.values()) clearTimeout(timer);
    this.expiryChecks.clear();
  }

  private async flush(site: string, room: string): Promise<void> {
    const summary = await this.options.store.take(site, room, Date.now(), TYPING_NAMED_MAX);
    if (this.closed) return;
    if (summary.nextExpiry !== undefined) this.checkAt(site, room, summary.nextExpiry);
    if (summary.due) this.options.namespaceOf(site).to(roomChannel(room)).emit('typing:summary', { room, count: summary.count, users: summary.users });
  }

  /** Looks at the room again once the typing that expires at `at` is over (one timer per room: the earliest). */
  private checkAt(site: string, room: string, at: number): void {
    const key = `${site}\0${room}`;
    const existing = this.expiryChecks.get(key);
    if (this.closed || (existing && existing.at <= at)) return;
    clearTimeout(existing?.timer);
    const timer = setTimeout(() => {
      this.expiryChecks.delete(key);
      this.summaries.touch(site, room);
    }, at - Date.now() + EXPIRY_SLACK_MS);
    timer.unref();
    this.expiryChecks.set(key, { at, timer });
  }
}
